import { RatingScore, Review } from '@reeltime/schemas';
import { Compile } from 'typebox/compile';
import { CommandRefused, unreachable } from '@reeltime/decider';
import type { ImportRating, RateTitle, RatingCommand, UnrateTitle } from './commands.ts';
import type { RatingEvent, RatingState } from './state.ts';

// The HTTP schema already rejects these, but the decider is the last line before events that
// live forever; checking with the event schemas keeps one definition (code points, not UTF-16).
const isScore = Compile(RatingScore);
const isReview = Compile(Review);
const scale = RatingScore as typeof RatingScore & { minimum: number; maximum: number };
const reviewLimit = (Review as typeof Review & { maxLength: number }).maxLength;

export function decideRating(command: RatingCommand, state: RatingState): RatingEvent[] {
  if (command.actorId !== command.userId) {
    throw new CommandRefused('forbidden', 'Only the user themself can change their ratings', 403);
  }
  switch (command.type) {
    case 'RateTitle':
      return rate(command, state);
    case 'UnrateTitle':
      return unrate(command, state);
    case 'ImportRating':
      return importRating(command, state);
    default:
      return unreachable(command);
  }
}

function importRating(command: ImportRating, state: RatingState): RatingEvent[] {
  const current = state.current;
  const score = command.score ?? current?.score;
  if (score === undefined) throw new CommandRefused('not_rated', 'A review without a score needs a rating of the title', 404);
  const review = command.review?.trim() ? command.review : current?.review;
  const containsSpoilers = command.review?.trim() ? (command.containsSpoilers ?? false) : (current?.containsSpoilers ?? false);
  return rate({ ...command, type: 'RateTitle', score, review, containsSpoilers }, state);
}

function rate(command: RateTitle, state: RatingState): RatingEvent[] {
  const { userId, titleId, score } = command;
  if (!isScore.Check(score)) {
    throw new CommandRefused('invalid_score', `score must be an integer from ${scale.minimum} to ${scale.maximum}`);
  }
  // A blank review is no review: otherwise "" and an omitted review would be two different ratings.
  const review = command.review?.trim() === '' ? undefined : command.review;
  if (review !== undefined && !isReview.Check(review)) {
    throw new CommandRefused('review_too_long', `review must be at most ${reviewLimit} characters`);
  }
  const containsSpoilers = command.containsSpoilers ?? false;
  const current = state.current;
  if (current !== null && current.score === score && current.review === review && current.containsSpoilers === containsSpoilers) {
    return [];
  }
  // Omit rather than write `review: undefined`: the payload schema is closed and JSON drops it anyway.
  const data = review === undefined ? { userId, titleId, score, containsSpoilers } : { userId, titleId, score, review, containsSpoilers };
  return [{ type: 'TitleRated', data }];
}

function unrate(command: UnrateTitle, state: RatingState): RatingEvent[] {
  if (state.current === null) throw new CommandRefused('not_rated', 'This title is not rated', 404);
  return [{ type: 'TitleUnrated', data: { userId: command.userId, titleId: command.titleId } }];
}
