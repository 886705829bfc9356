import type { Decider } from '@reeltime/decider';
import type { RatingCommand } from './commands.ts';
import { decideRating } from './decide.ts';
import { evolveRating, initialRatingState, type RatingEvent, type RatingState } from './state.ts';

export type { ImportRating, RateTitle, RatingCommand, UnrateTitle } from './commands.ts';
export type { CurrentRating, RatingEvent, RatingState } from './state.ts';

export const ratingDecider: Decider<RatingCommand, RatingState, RatingEvent> = {
  initialState: initialRatingState,
  decide: decideRating,
  evolve: evolveRating,
};

export { ratingStream as ratingStreamId } from '@reeltime/schemas';
