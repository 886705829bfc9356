import { unreachable } from '@reeltime/decider';
import type { PreferenceEventType, ReelEvent } from '@reeltime/schemas';
import type { PreferredGenre, PreferredLanguage, PreferredMediaType, PreferredPerson } from './commands.ts';

export type PreferencesEvent = Extract<ReelEvent, { type: PreferenceEventType }>;

// Sets stay small (bounded by the genre list and PREFERENCE_LIMITS), so copying one per event is cheap.
export type PreferencesState = {
  likedGenres: ReadonlySet<PreferredGenre>;
  dislikedGenres: ReadonlySet<PreferredGenre>;
  likedPeople: ReadonlySet<PreferredPerson>;
  languages: ReadonlySet<PreferredLanguage>;
  mediaTypes: ReadonlySet<PreferredMediaType>;
};

export const initialPreferencesState: PreferencesState = {
  likedGenres: new Set(),
  dislikedGenres: new Set(),
  likedPeople: new Set(),
  languages: new Set(),
  mediaTypes: new Set(),
};

const add = <T>(set: ReadonlySet<T>, item: T): ReadonlySet<T> => new Set(set).add(item);
const remove = <T>(set: ReadonlySet<T>, item: T): ReadonlySet<T> => {
  const copy = new Set(set);
  copy.delete(item);
  return copy;
};

export function evolvePreferences(state: PreferencesState, event: PreferencesEvent): PreferencesState {
  switch (event.type) {
    case 'GenreLiked':
      return { ...state, likedGenres: add(state.likedGenres, event.data.genreId) };
    case 'GenreUnliked':
      return { ...state, likedGenres: remove(state.likedGenres, event.data.genreId) };
    case 'GenreDisliked':
      return { ...state, dislikedGenres: add(state.dislikedGenres, event.data.genreId) };
    case 'GenreUndisliked':
      return { ...state, dislikedGenres: remove(state.dislikedGenres, event.data.genreId) };
    case 'PersonLiked':
      return { ...state, likedPeople: add(state.likedPeople, event.data.personId) };
    case 'PersonUnliked':
      return { ...state, likedPeople: remove(state.likedPeople, event.data.personId) };
    case 'LanguagePreferred':
      return { ...state, languages: add(state.languages, event.data.language) };
    case 'LanguageUnpreferred':
      return { ...state, languages: remove(state.languages, event.data.language) };
    case 'MediaTypePreferred':
      return { ...state, mediaTypes: add(state.mediaTypes, event.data.mediaType) };
    case 'MediaTypeUnpreferred':
      return { ...state, mediaTypes: remove(state.mediaTypes, event.data.mediaType) };
    default:
      return unreachable(event);
  }
}
