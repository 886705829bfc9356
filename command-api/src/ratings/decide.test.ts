import { describe, expect, it } from 'vitest';
import { fold } from '@reeltime/decider';
import { given, invalidEvents, OTHER_USER_ID, USER_ID } from '@reeltime/decider/testing';
import { ratingDecider, ratingStreamId, type ImportRating, type RateTitle, type RatingEvent, type UnrateTitle } from './index.ts';

const titleId = 'movie:603';
const rate = (fields: Partial<RateTitle> = {}): RateTitle => ({
  type: 'RateTitle',
  actorId: USER_ID,
  userId: USER_ID,
  titleId,
  score: 8,
  ...fields,
});
const unrate = (fields: Partial<UnrateTitle> = {}): UnrateTitle => ({
  type: 'UnrateTitle',
  actorId: USER_ID,
  userId: USER_ID,
  titleId,
  ...fields,
});
const rated = (data: { score: number; review?: string; containsSpoilers?: boolean }): RatingEvent => ({
  type: 'TitleRated',
  data: { userId: USER_ID, titleId, containsSpoilers: false, ...data },
});
const unrated: RatingEvent = { type: 'TitleUnrated', data: { userId: USER_ID, titleId } };

describe('RateTitle', () => {
  it('rates an unrated title, without spoilers unless said otherwise', () =>
    given(ratingDecider)
      .when(rate({ score: 7 }))
      .then([rated({ score: 7 })]));

  it('stores a review with its spoiler flag', () =>
    given(ratingDecider)
      .when(rate({ score: 9, review: 'Whoa.', containsSpoilers: true }))
      .then([rated({ score: 9, review: 'Whoa.', containsSpoilers: true })]));

  it.each([
    ['score', rated({ score: 8 }), rate({ score: 8 })],
    ['score and review', rated({ score: 8, review: 'Whoa.' }), rate({ score: 8, review: 'Whoa.' })],
    [
      'score, review and spoiler flag',
      rated({ score: 8, review: 'Whoa.', containsSpoilers: true }),
      rate({ score: 8, review: 'Whoa.', containsSpoilers: true }),
    ],
  ])('appends nothing when the same %s comes again', (_what, previous, command) =>
    given(ratingDecider, [previous]).when(command).thenNothing(),
  );

  it.each([
    ['score', rate({ score: 6, review: 'Whoa.' }), rated({ score: 6, review: 'Whoa.' })],
    ['review', rate({ score: 8, review: 'Whoa!' }), rated({ score: 8, review: 'Whoa!' })],
    [
      'spoiler flag',
      rate({ score: 8, review: 'Whoa.', containsSpoilers: true }),
      rated({ score: 8, review: 'Whoa.', containsSpoilers: true }),
    ],
    ['review removal (PUT replaces)', rate({ score: 8 }), rated({ score: 8 })],
  ])('appends a new rating when the %s changes', (_what, command, event) =>
    given(ratingDecider, [rated({ score: 8, review: 'Whoa.' })])
      .when(command)
      .then([event]),
  );

  it('treats a blank review as no review', () =>
    given(ratingDecider, [rated({ score: 8 })])
      .when(rate({ review: '  ' }))
      .thenNothing());

  it('rates again after an unrating', () =>
    given(ratingDecider, [rated({ score: 8 }), unrated])
      .when(rate())
      .then([rated({ score: 8 })]));

  it.each([1, 10])('accepts score %d', (score) =>
    given(ratingDecider)
      .when(rate({ score }))
      .then([rated({ score })]),
  );

  it.each([0, 11, 7.5, -1, Number.NaN])('refuses score %d', (score) =>
    given(ratingDecider).when(rate({ score })).thenRefused('invalid_score', 409),
  );

  it('accepts a review of exactly 5,000 characters, counted as code points', () => {
    given(ratingDecider)
      .when(rate({ review: 'a'.repeat(5000) }))
      .then([rated({ score: 8, review: 'a'.repeat(5000) })]);
    given(ratingDecider)
      .when(rate({ review: '🎬'.repeat(5000) }))
      .then([rated({ score: 8, review: '🎬'.repeat(5000) })]);
  });

  it('refuses a review over 5,000 characters', () =>
    given(ratingDecider)
      .when(rate({ review: 'a'.repeat(5001) }))
      .thenRefused('review_too_long', 409));

  it('refuses to rate for someone else', () =>
    given(ratingDecider)
      .when(rate({ actorId: OTHER_USER_ID }))
      .thenRefused('forbidden', 403));
});

describe('UnrateTitle', () => {
  it('unrates a rated title', () =>
    given(ratingDecider, [rated({ score: 8 })])
      .when(unrate())
      .then([unrated]));

  it('answers 404 for a title never rated', () => given(ratingDecider).when(unrate()).thenRefused('not_rated', 404));

  it('answers 404 for a title already unrated', () =>
    given(ratingDecider, [rated({ score: 8 }), unrated])
      .when(unrate())
      .thenRefused('not_rated', 404));

  it("refuses to unrate someone else's rating", () =>
    given(ratingDecider, [rated({ score: 8 })])
      .when(unrate({ actorId: OTHER_USER_ID }))
      .thenRefused('forbidden', 403));
});

describe('rating stream', () => {
  it('folds a full history into the latest rating', () => {
    const history = [rated({ score: 4 }), unrated, rated({ score: 9, review: 'Better the second time.', containsSpoilers: true })];
    expect(fold(ratingDecider, history)).toEqual({ current: { score: 9, review: 'Better the second time.', containsSpoilers: true } });
    expect(fold(ratingDecider, [...history, unrated])).toEqual({ current: null });
  });

  it('produces only events the registry accepts', () => {
    let state = ratingDecider.initialState;
    const produced: RatingEvent[] = [];
    for (const command of [rate({ score: 1 }), rate({ score: 10, review: 'x', containsSpoilers: true }), rate({ score: 10 }), unrate()]) {
      const events = ratingDecider.decide(command, state);
      produced.push(...events);
      state = fold(ratingDecider, produced);
    }
    expect(produced.map((event) => event.type)).toEqual(['TitleRated', 'TitleRated', 'TitleRated', 'TitleUnrated']);
    expect(invalidEvents(produced)).toEqual([]);
  });

  it('is named after user and title', () => expect(ratingStreamId(USER_ID, titleId)).toBe(`rating-${USER_ID}-movie:603`));
});

describe('ImportRating', () => {
  const importing = (fields: Partial<ImportRating> = {}): ImportRating => ({
    type: 'ImportRating',
    actorId: USER_ID,
    userId: USER_ID,
    titleId,
    ...fields,
  });
  it('rates an unrated title', () =>
    given(ratingDecider)
      .when(importing({ score: 7 }))
      .then([rated({ score: 7 })]));
  it('appends nothing for the same score, and keeps the review written here', () =>
    given(ratingDecider, [rated({ score: 8, review: 'Mine.' })])
      .when(importing({ score: 8 }))
      .thenNothing());
  it('changes the score and keeps the review', () =>
    given(ratingDecider, [rated({ score: 8, review: 'Mine.' })])
      .when(importing({ score: 6 }))
      .then([rated({ score: 6, review: 'Mine.' })]));
  it('adds a review to the current score', () =>
    given(ratingDecider, [rated({ score: 8 })])
      .when(importing({ review: 'Whoa.' }))
      .then([rated({ score: 8, review: 'Whoa.' })]));
  it('refuses a review of a title never rated', () =>
    given(ratingDecider)
      .when(importing({ review: 'Whoa.' }))
      .thenRefused('not_rated', 404));
});
