import type { EventData } from '@reeltime/schemas';

type Rated = EventData<'TitleRated'>;

/** The authenticated user sending the command; ratings are private to their author. */
type Actor = { actorId: Rated['userId'] };

/** `PUT /ratings/:titleId`: replaces the whole rating, so an omitted review removes the old one. */
export type RateTitle = Actor & { type: 'RateTitle' } & Pick<Rated, 'userId' | 'titleId' | 'score' | 'review'> &
  Partial<Pick<Rated, 'containsSpoilers'>>;

/** `DELETE /ratings/:titleId`. */
export type UnrateTitle = Actor & { type: 'UnrateTitle' } & EventData<'TitleUnrated'>;

export type RatingCommand = RateTitle | UnrateTitle;
