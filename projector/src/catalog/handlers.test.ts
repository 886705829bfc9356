import { describe, expect, it } from 'vitest';
import { Notices } from '../model/notices.ts';
import { recorded, titleImported } from '../testing/events.ts';
import { applyCatalog, emptyCatalogState } from './projection.ts';

function given(events: ReturnType<typeof recorded>[]) {
  const state = emptyCatalogState();
  state.titles.seedMissing(['movie:603']);
  state.people.seedMissing(['1', '2', '3']);
  const notices = new Notices();
  for (const event of events) applyCatalog(state, event, notices);
  return state;
}

describe('catalog', () => {
  it('given an import, then the title has poster URL, genre names and its people', () => {
    const state = given([recorded('TitleImported', titleImported(603, 'The Matrix'))]);
    expect(state.titles.get('movie:603')).toMatchObject({
      title: 'The Matrix',
      poster_url: 'https://image.tmdb.org/t/p/w342/poster.jpg',
      genres: ['Action', 'Science Fiction'],
      year: 2001,
    });
    expect(state.people.get('1')).toEqual({ person_id: 1, name: 'Ada Actor', title_count: 1 });
    expect([...state.titlePeople.where(() => true)].map((row) => [row.role, row.person_id])).toEqual([
      ['cast', 1],
      ['director', 2],
    ]);
  });

  it('when an update changes the cast and clears the poster, then counts and fields follow', () => {
    const state = given([
      recorded('TitleImported', titleImported(603, 'The Matrix')),
      recorded('TitleUpdated', {
        titleId: 'movie:603',
        changes: { posterPath: null, cast: [{ personId: 3, name: 'Cy Star', character: '', order: 0 }], voteAverage: 8.5 },
      }),
    ]);
    expect(state.titles.get('movie:603')).toMatchObject({ poster_url: null, vote_average: 8.5, title: 'The Matrix' });
    expect(state.people.get('1')).toBeUndefined();
    expect(state.people.get('3')).toMatchObject({ title_count: 1 });
    expect(state.people.get('2')).toMatchObject({ title_count: 1 });
  });

  it('ignores an update of a title never imported', () => {
    const state = given([recorded('TitleUpdated', { titleId: 'movie:603', changes: { popularity: 1 } })]);
    expect(state.titles.changes().upserts).toEqual([]);
  });
});
