import type { EventData } from '@reeltime/schemas';

type Rated = EventData<'TitleRated'>;

/** The authenticated user sending the command; ratings are private to their author. */
type Actor = { actorId: Rated['userId'] };

/** `PUT /ratings/:titleId`: replaces the whole rating, so an omitted review removes the old one. */
export type RateTitle = Actor & { type: 'RateTitle' } & Pick<Rated, 'userId' | 'titleId' | 'score' | 'review'> &
  Partial<Pick<Rated, 'containsSpoilers'>>;

/** `DELETE /ratings/:titleId`. */
export type UnrateTitle = Actor & { type: 'UnrateTitle' } & EventData<'TitleUnrated'>;

/**
 * A rating from an import. Unlike `PUT`, it keeps what the import does not say: no review
 * keeps the current one, no score completes a review of a title already rated.
 */
export type ImportRating = Actor & { type: 'ImportRating' } & Pick<Rated, 'userId' | 'titleId'> &
  Partial<Pick<Rated, 'score' | 'review' | 'containsSpoilers'>>;
export type RatingCommand = RateTitle | UnrateTitle | ImportRating;
