import type { TitleImportedData } from '@reeltime/schemas';
import { describe, expect, it } from 'vitest';
import { fold } from '@reeltime/decider';
import { given } from '@reeltime/decider/testing';
import { breakingBadDetails, matrixDetails } from './fixtures.testing.ts';
import { normalizeMovie, normalizeTv } from './normalize.ts';
import { titleDecider, titleStream, type TitleEvent } from './title-decider.ts';

const matrix = normalizeMovie(matrixDetails());
const breakingBad = normalizeTv(breakingBadDetails());
const sync = (title: TitleImportedData) => ({ type: 'SyncTitle' as const, title });
const seed = (title: TitleImportedData) => ({ type: 'SeedTitle' as const, title });
const imported = (title: TitleImportedData): TitleEvent => ({ type: 'TitleImported', data: title });
const updated = (title: TitleImportedData, changes: Record<string, unknown>): TitleEvent =>
  ({ type: 'TitleUpdated', data: { titleId: title.titleId, changes } }) as TitleEvent;

describe('SyncTitle', () => {
  it('imports a title on first sight', () =>
    given(titleDecider)
      .when(sync(matrix))
      .then([imported(matrix)]));

  it('records nothing when nothing changed', () =>
    given(titleDecider, [imported(matrix)])
      .when(sync(structuredClone(matrix)))
      .thenNothing());

  it('records only the fields that changed', () =>
    given(titleDecider, [imported(breakingBad)])
      .when(sync({ ...breakingBad, overview: 'A new overview.', posterPath: null, numberOfEpisodes: 63 }))
      .then([updated(breakingBad, { overview: 'A new overview.', posterPath: null, numberOfEpisodes: 63 })]));

  it('compares against the record as updated so far', () => {
    const retitled = { ...matrix, title: 'Matrix' };
    given(titleDecider, [imported(matrix), updated(matrix, { title: 'Matrix' })])
      .when(sync(retitled))
      .thenNothing();
    given(titleDecider, [imported(matrix), updated(matrix, { title: 'Matrix' })])
      .when(sync(matrix))
      .then([updated(matrix, { title: 'The Matrix' })]);
  });

  it('sees a change in nested lists and ignores the order of regions', () => {
    const { US, DE } = matrix.watchProviders;
    given(titleDecider, [imported(matrix)])
      .when(sync({ ...matrix, watchProviders: { US: US!, DE: DE! } }))
      .thenNothing();
    given(titleDecider, [imported(matrix)])
      .when(sync({ ...matrix, watchProviders: { DE: DE! } }))
      .then([updated(matrix, { watchProviders: { DE: DE! } })]);
    const recast = matrix.cast.map((member, i) => (i === 2 ? { ...member, character: 'Trinity (voice)' } : member));
    given(titleDecider, [imported(matrix)])
      .when(sync({ ...matrix, cast: recast }))
      .then([updated(matrix, { cast: recast })]);
  });

  it.each([
    ['popularity', { popularity: matrix.popularity * 1.19 }],
    ['vote average', { voteAverage: 8.3 }],
    ['vote count', { voteCount: matrix.voteCount + 1000 }],
  ])('ignores %s drift below its threshold', (_what, drift) =>
    given(titleDecider, [imported(matrix)])
      .when(sync({ ...matrix, ...drift }))
      .thenNothing(),
  );

  it.each([
    ['popularity', { popularity: matrix.popularity * 1.25 }],
    ['vote average', { voteAverage: 7.9 }],
    ['vote count', { voteCount: Math.round(matrix.voteCount * 1.06) }],
  ])('records %s once it moves past its threshold', (_what, drift) =>
    given(titleDecider, [imported(matrix)])
      .when(sync({ ...matrix, ...drift }))
      .then([updated(matrix, drift)]),
  );

  it('lets slow drift accumulate against the last recorded value', () => {
    const steps = [1.1, 1.15, 1.21].map((factor) => ({ ...matrix, popularity: matrix.popularity * factor }));
    given(titleDecider, [imported(matrix)])
      .when(sync(steps[1]!))
      .thenNothing();
    given(titleDecider, [imported(matrix)])
      .when(sync(steps[2]!))
      .then([updated(matrix, { popularity: steps[2]!.popularity })]);
  });

  it('records a metric leaving zero', () =>
    given(titleDecider, [imported({ ...matrix, voteCount: 0 })])
      .when(sync(matrix))
      .then([updated(matrix, { voteCount: matrix.voteCount })]));

  it('keeps an optional field TMDb stopped sending', () => {
    const { status: _status, ...withoutStatus } = breakingBad;
    given(titleDecider, [imported(breakingBad)])
      .when(sync(withoutStatus))
      .thenNothing();
  });
});

describe('SeedTitle', () => {
  it('introduces an unseen title', () =>
    given(titleDecider)
      .when(seed(matrix))
      .then([imported(matrix)]));

  it('never overwrites a recorded title', () =>
    given(titleDecider, [imported(matrix)])
      .when(seed({ ...matrix, overview: '', cast: [] }))
      .thenNothing());
});

describe('evolve', () => {
  it('folds imports and updates into the current record', () => {
    const state = fold(titleDecider, [imported(matrix), updated(matrix, { overview: 'x' }), updated(matrix, { voteCount: 1 })]);
    expect(state.recorded).toEqual({ ...matrix, overview: 'x', voteCount: 1 });
  });

  it('names the stream after the title', () => {
    expect(titleStream('movie:603')).toBe('title-movie-603');
    expect(titleStream('tv:1396')).toBe('title-tv-1396');
  });
});
