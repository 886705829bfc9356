import { describe, expect, it } from 'vitest';
import { fold } from '@reeltime/decider';
import { given, invalidEvents, OTHER_USER_ID, USER_ID } from '@reeltime/decider/testing';
import {
  diaryDecider,
  diaryEntries,
  diaryStreamId,
  type DiaryEvent,
  type ImportedWatch,
  type ImportWatches,
  type LogWatch,
  type RemoveDiaryEntry,
} from './index.ts';

const TODAY = '2024-05-17';
const ENTRY = [
  '9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d',
  '1b2c3d4e-5f60-4718-8293-a4b5c6d7e8f9',
  '2c3d4e5f-6071-4829-93a4-b5c6d7e8f9a0',
] as const;
const matrix = 'movie:603';
const breakingBad = 'tv:1396';

const log = (fields: Partial<LogWatch> = {}): LogWatch => ({
  type: 'LogWatch',
  actorId: USER_ID,
  userId: USER_ID,
  entryId: ENTRY[0],
  titleId: matrix,
  today: TODAY,
  ...fields,
});
const remove = (fields: Partial<RemoveDiaryEntry> = {}): RemoveDiaryEntry => ({
  type: 'RemoveDiaryEntry',
  actorId: USER_ID,
  userId: USER_ID,
  entryId: ENTRY[0],
  ...fields,
});
const watched = (entryId: string, titleId: string, watchedOn = TODAY, rewatch = false): DiaryEvent => ({
  type: 'TitleWatched',
  data: { entryId, userId: USER_ID, titleId, watchedOn, rewatch },
});
const removed = (entryId: string): DiaryEvent => ({ type: 'DiaryEntryRemoved', data: { entryId, userId: USER_ID } });

describe('LogWatch', () => {
  it('logs a first watch for today unless a date is given', () => {
    given(diaryDecider)
      .when(log())
      .then([watched(ENTRY[0], matrix)]);
    given(diaryDecider)
      .when(log({ watchedOn: '1999-04-02' }))
      .then([watched(ENTRY[0], matrix, '1999-04-02')]);
  });

  it('logs a rewatch as a separate entry, flagged as a rewatch', () =>
    given(diaryDecider, [watched(ENTRY[0], matrix, '1999-04-02')])
      .when(log({ entryId: ENTRY[1] }))
      .then([watched(ENTRY[1], matrix, TODAY, true)]));

  it('does not count other titles or removed entries as earlier watches', () =>
    given(diaryDecider, [watched(ENTRY[0], matrix), removed(ENTRY[0]), watched(ENTRY[1], breakingBad)])
      .when(log({ entryId: ENTRY[2] }))
      .then([watched(ENTRY[2], matrix)]));

  it('lets an explicit rewatch flag win', () => {
    given(diaryDecider)
      .when(log({ rewatch: true }))
      .then([watched(ENTRY[0], matrix, TODAY, true)]);
    given(diaryDecider, [watched(ENTRY[0], matrix)])
      .when(log({ entryId: ENTRY[1], rewatch: false }))
      .then([watched(ENTRY[1], matrix, TODAY, false)]);
  });

  it('appends nothing when an entry id is logged again (a retried request)', () => {
    given(diaryDecider, [watched(ENTRY[0], matrix)])
      .when(log())
      .thenNothing();
    given(diaryDecider, [watched(ENTRY[0], matrix), removed(ENTRY[0])])
      .when(log())
      .thenNothing();
  });

  it('refuses an entry id already used for another title', () =>
    given(diaryDecider, [watched(ENTRY[0], breakingBad)])
      .when(log())
      .thenRefused('entry_id_taken', 409));

  it.each([TODAY, '1870-01-01', '2024-02-29'])('accepts watchedOn %s', (watchedOn) =>
    given(diaryDecider)
      .when(log({ watchedOn }))
      .then([watched(ENTRY[0], matrix, watchedOn)]),
  );

  it.each(['2024-05-18', '2999-01-01', '1869-12-31', '0001-01-01', '2023-02-29', '2024-5-1', '17.05.2024'])(
    'refuses watchedOn %s',
    (watchedOn) => given(diaryDecider).when(log({ watchedOn })).thenRefused('invalid_watch_date', 409),
  );

  it('throws on a malformed today: that is the caller’s bug, not a refusal', () =>
    expect(() => diaryDecider.decide(log({ today: 'today' }), diaryDecider.initialState)).toThrow(TypeError));

  it('refuses to log into someone else’s diary', () =>
    given(diaryDecider)
      .when(log({ actorId: OTHER_USER_ID }))
      .thenRefused('forbidden', 403));
});

describe('RemoveDiaryEntry', () => {
  it('removes an entry', () =>
    given(diaryDecider, [watched(ENTRY[0], matrix)])
      .when(remove())
      .then([removed(ENTRY[0])]));

  it('answers 404 for an unknown entry', () =>
    given(diaryDecider, [watched(ENTRY[1], matrix)])
      .when(remove())
      .thenRefused('entry_not_found', 404));

  it('answers 404 for an entry already removed', () =>
    given(diaryDecider, [watched(ENTRY[0], matrix), removed(ENTRY[0])])
      .when(remove())
      .thenRefused('entry_not_found', 404));

  it('refuses to remove from someone else’s diary', () =>
    given(diaryDecider, [watched(ENTRY[0], matrix)])
      .when(remove({ actorId: OTHER_USER_ID }))
      .thenRefused('forbidden', 403));
});

describe('diary stream', () => {
  it('folds a full history into its entries', () => {
    const history = [
      watched(ENTRY[0], matrix, '1999-04-02'),
      watched(ENTRY[1], matrix, TODAY, true),
      watched(ENTRY[2], breakingBad),
      removed(ENTRY[0]),
    ];
    expect(diaryEntries(fold(diaryDecider, history))).toEqual(
      new Map([
        [ENTRY[0], { titleId: matrix, watchedOn: '1999-04-02', rewatch: false, removed: true }],
        [ENTRY[1], { titleId: matrix, watchedOn: TODAY, rewatch: true, removed: false }],
        [ENTRY[2], { titleId: breakingBad, watchedOn: TODAY, rewatch: false, removed: false }],
      ]),
    );
  });

  it('produces only events the registry accepts', () => {
    const produced: DiaryEvent[] = [];
    for (const command of [
      log(),
      log({ entryId: ENTRY[1], watchedOn: '1870-01-01' }),
      remove(),
      log({ entryId: ENTRY[2], titleId: breakingBad, rewatch: true }),
    ]) {
      produced.push(...diaryDecider.decide(command, fold(diaryDecider, produced)));
    }
    expect(produced.map((event) => event.type)).toEqual(['TitleWatched', 'TitleWatched', 'DiaryEntryRemoved', 'TitleWatched']);
    expect(invalidEvents(produced)).toEqual([]);
  });

  it('is named after the user', () => expect(diaryStreamId(USER_ID)).toBe(`diary-${USER_ID}`));
});

describe('ImportWatches', () => {
  const importing = (...watches: ImportedWatch[]): ImportWatches => ({
    type: 'ImportWatches',
    actorId: USER_ID,
    userId: USER_ID,
    today: TODAY,
    watches,
  });
  it('logs each watch on its own day with the rewatch flag it came with', () =>
    given(diaryDecider)
      .when(
        importing(
          { entryId: ENTRY[0], titleId: matrix, watchedOn: '2020-01-01', rewatch: false },
          { entryId: ENTRY[1], titleId: matrix, watchedOn: '2021-01-01', rewatch: true },
        ),
      )
      .then([watched(ENTRY[0], matrix, '2020-01-01'), watched(ENTRY[1], matrix, '2021-01-01', true)]));
  it('adds nothing for an entry already imported, or the same title on the same day logged by hand', () =>
    given(diaryDecider, [watched(ENTRY[0], matrix, '2020-01-01'), watched(ENTRY[2], breakingBad, '2022-02-02')])
      .when(
        importing(
          { entryId: ENTRY[0], titleId: matrix, watchedOn: '2020-01-01' },
          { entryId: ENTRY[1], titleId: breakingBad, watchedOn: '2022-02-02' },
        ),
      )
      .thenNothing());
  it('logs two watches of a title on one day when the import holds both', () =>
    given(diaryDecider)
      .when(
        importing(
          { entryId: ENTRY[0], titleId: matrix, watchedOn: '2020-01-01', rewatch: false, ofTheDay: 2 },
          { entryId: ENTRY[1], titleId: matrix, watchedOn: '2020-01-01', rewatch: true, ofTheDay: 2 },
        ),
      )
      .then([watched(ENTRY[0], matrix, '2020-01-01'), watched(ENTRY[1], matrix, '2020-01-01', true)]));
  it('brings a day up to the import’s count of watches, counting the ones logged by hand', () =>
    given(diaryDecider, [watched(ENTRY[2], matrix, '2020-01-01')])
      .when(
        importing(
          { entryId: ENTRY[0], titleId: matrix, watchedOn: '2020-01-01', ofTheDay: 2 },
          { entryId: ENTRY[1], titleId: matrix, watchedOn: '2020-01-01', ofTheDay: 2 },
        ),
      )
      .then([watched(ENTRY[0], matrix, '2020-01-01', true)]));
  it('counts a day across the commands of one import (it arrives in batches), and a removed entry not at all', () => {
    const first = watched(ENTRY[0], matrix, '2020-01-01');
    // The second batch: the first watch of the day is in the diary, the second is not yet.
    given(diaryDecider, [first])
      .when(importing({ entryId: ENTRY[1], titleId: matrix, watchedOn: '2020-01-01', ofTheDay: 2 }))
      .then([watched(ENTRY[1], matrix, '2020-01-01', true)]);
    // Both there: a third row of an export that had two watches that day adds nothing.
    given(diaryDecider, [first, watched(ENTRY[1], matrix, '2020-01-01', true)])
      .when(importing({ entryId: ENTRY[2], titleId: matrix, watchedOn: '2020-01-01', ofTheDay: 2 }))
      .thenNothing();
    given(diaryDecider, [first, removed(ENTRY[0])])
      .when(importing({ entryId: ENTRY[1], titleId: matrix, watchedOn: '2020-01-01' }))
      .then([watched(ENTRY[1], matrix, '2020-01-01', false)]);
  });
  it('logs "seen it" only for a title without any entry', () =>
    given(diaryDecider, [watched(ENTRY[0], matrix, '2020-01-01')])
      .when(
        importing(
          { entryId: ENTRY[1], titleId: matrix, watchedOn: '2024-01-01', onlyIfUnwatched: true },
          { entryId: ENTRY[2], titleId: breakingBad, watchedOn: '2024-01-01', onlyIfUnwatched: true, rewatch: false },
        ),
      )
      .then([watched(ENTRY[2], breakingBad, '2024-01-01')]));
  it('refuses a future day', () =>
    given(diaryDecider)
      .when(importing({ entryId: ENTRY[0], titleId: matrix, watchedOn: '2999-01-01' }))
      .thenRefused('invalid_watch_date', 409));
});
