import { Type, type Static } from 'typebox';
import { TitleId, UserId } from '../ids.ts';
import { StrictObject } from '../strict.ts';
import { Text } from '../text.ts';

// Stream `rating-<userId>-<titleId>`.

export const RatingScore = Type.Integer({ minimum: 1, maximum: 10, description: '1..10, i.e. half stars on a 5-star scale' });
export type RatingScore = Static<typeof RatingScore>;

export const Review = Text({ maxLength: 5000 });
export type Review = Static<typeof Review>;

/** TitleRated version 2 (current). */
export const TitleRatedData = StrictObject({
  userId: UserId,
  titleId: TitleId,
  score: RatingScore,
  review: Type.Optional(Review),
  containsSpoilers: Type.Boolean(),
});
export type TitleRatedData = Static<typeof TitleRatedData>;

/**
 * TitleRated version 1: half stars 0.5..5, the scale MovieLens and Letterboxd exports use.
 * Kept because stored events never change; they are upcast on read.
 */
export const TitleRatedV1Data = StrictObject({
  userId: UserId,
  titleId: TitleId,
  stars: Type.Number({ minimum: 0.5, maximum: 5, multipleOf: 0.5 }),
});
export type TitleRatedV1Data = Static<typeof TitleRatedV1Data>;

/** v1 → v2: stars map onto the 1..10 score exactly (each half star is one point). */
export function upcastTitleRatedV1(v1: TitleRatedV1Data): TitleRatedData {
  return {
    userId: v1.userId,
    titleId: v1.titleId,
    score: Math.round(v1.stars * 2),
    containsSpoilers: false,
  };
}

export const TitleUnratedData = StrictObject({ userId: UserId, titleId: TitleId });
export type TitleUnratedData = Static<typeof TitleUnratedData>;
