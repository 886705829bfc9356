import { unreachable } from '@reeltime/decider';
import type { EventData, ReelEvent } from '@reeltime/schemas';

export type RatingEvent = Extract<ReelEvent, { type: 'TitleRated' | 'TitleUnrated' }>;

export type CurrentRating = Pick<EventData<'TitleRated'>, 'score' | 'review' | 'containsSpoilers'>;

/** One stream per user and title, so the state is just what the user says now (null: not rated). */
export type RatingState = { current: CurrentRating | null };

export const initialRatingState: RatingState = { current: null };

export function evolveRating(_state: RatingState, event: RatingEvent): RatingState {
  switch (event.type) {
    case 'TitleRated': {
      // v1 events arrive upcast by the store, so this only ever sees the v2 shape.
      const { score, review, containsSpoilers } = event.data;
      return { current: review === undefined ? { score, containsSpoilers } : { score, review, containsSpoilers } };
    }
    case 'TitleUnrated':
      return { current: null };
    default:
      return unreachable(event);
  }
}
