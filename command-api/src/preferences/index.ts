import type { Decider } from '@reeltime/decider';
import type { PreferencesCommand } from './commands.ts';
import { decidePreferences } from './decide.ts';
import { evolvePreferences, initialPreferencesState, type PreferencesEvent, type PreferencesState } from './state.ts';

export type {
  PreferenceUserId,
  PreferencesCommand,
  PreferredGenre,
  PreferredLanguage,
  PreferredMediaType,
  PreferredPerson,
  SetPreferences,
} from './commands.ts';
export { PREFERENCE_LIMITS } from './decide.ts';
export type { PreferencesEvent, PreferencesState } from './state.ts';

export const preferencesDecider: Decider<PreferencesCommand, PreferencesState, PreferencesEvent> = {
  initialState: initialPreferencesState,
  decide: decidePreferences,
  evolve: evolvePreferences,
};

export { preferencesStream as preferencesStreamId } from '@reeltime/schemas';
