import { fileURLToPath } from 'node:url';
import type { RecordedEvent } from '@reeltime/eventstore';
import { TMDB_GENRES, type EventData } from '@reeltime/schemas';
import type { Notices } from '../model/notices.ts';
import type { Projection } from '../model/projection.ts';
import { flushTable, ident, type Queryable } from '../model/sql.ts';
import { Table } from '../model/table.ts';
import { specs, type PersonRow, type TitlePersonRow, type TitleRow } from './rows.ts';
import { mergeChanges, titleData, titleRow } from './title-row.ts';

export type CatalogState = {
  titles: Table<TitleRow>;
  titlePeople: Table<TitlePersonRow>;
  people: Table<PersonRow>;
};

type TitleData = EventData<'TitleImported'>;

const titlePersonKey = (row: Pick<TitlePersonRow, 'title_id' | 'role' | 'person_id'>) => `${row.title_id}|${row.role}|${row.person_id}`;

export function emptyCatalogState(): CatalogState {
  return {
    titles: new Table<TitleRow>('titles', (row) => row.title_id),
    titlePeople: new Table<TitlePersonRow>('title_people', titlePersonKey, (row) => row.title_id),
    people: new Table<PersonRow>('people', (row) => String(row.person_id)),
  };
}

function creditsOf(data: Partial<Pick<TitleData, 'cast' | 'directors'>>): number[] {
  return [...(data.cast ?? []).map((c) => c.personId), ...(data.directors ?? []).map((d) => d.personId)];
}

async function loadCatalog(db: Queryable, schema: string, events: readonly RecordedEvent[]): Promise<CatalogState> {
  const state = emptyCatalogState();
  const s = ident(schema);
  const titleIds = new Set<string>();
  const personIds = new Set<number>();
  for (const event of events) {
    if (event.type === 'TitleImported') {
      titleIds.add(event.data.titleId);
      for (const id of creditsOf(event.data)) personIds.add(id);
    } else if (event.type === 'TitleUpdated') {
      titleIds.add(event.data.titleId);
      for (const id of creditsOf(event.data.changes)) personIds.add(id);
    }
  }
  const ids = [...titleIds];
  const titles = await db.query<TitleRow>(`SELECT * FROM ${s}.titles WHERE title_id = ANY($1::text[])`, [ids]);
  const credits = await db.query<TitlePersonRow>(`SELECT * FROM ${s}.title_people WHERE title_id = ANY($1::text[])`, [ids]);
  for (const row of titles.rows) delete (row as Record<string, unknown>).search;
  state.titles.seedRows(titles.rows);
  state.titles.seedMissing(ids);
  state.titlePeople.seedRows(credits.rows);
  for (const row of credits.rows) personIds.add(row.person_id);
  const people = await db.query<PersonRow>(`SELECT * FROM ${s}.people WHERE person_id = ANY($1::int[])`, [[...personIds]]);
  state.people.seedRows(people.rows);
  state.people.seedMissing([...personIds].map(String));
  return state;
}

/** Replaces a title's credits and keeps each person's title count exact. */
function replaceCredits(state: CatalogState, data: TitleData): void {
  const before = new Set<number>();
  for (const row of state.titlePeople.inGroup(data.titleId)) {
    before.add(row.person_id);
    state.titlePeople.delete(titlePersonKey(row));
  }
  const after = new Map<number, string>();
  data.cast.forEach((member, index) => {
    state.titlePeople.put({
      title_id: data.titleId,
      role: 'cast',
      person_id: member.personId,
      name: member.name,
      character: member.character,
      ord: index,
    });
    after.set(member.personId, member.name);
  });
  data.directors.forEach((director, index) => {
    state.titlePeople.put({
      title_id: data.titleId,
      role: 'director',
      person_id: director.personId,
      name: director.name,
      character: null,
      ord: index,
    });
    if (!after.has(director.personId)) after.set(director.personId, director.name);
  });
  for (const personId of before) {
    if (after.has(personId)) continue;
    const person = state.people.get(String(personId));
    if (person === undefined) continue;
    if (person.title_count <= 1) state.people.delete(String(personId));
    else state.people.put({ ...person, title_count: person.title_count - 1 });
  }
  for (const [personId, name] of after) {
    const person = state.people.get(String(personId));
    const count = (person?.title_count ?? 0) + (before.has(personId) ? 0 : 1);
    if (person === undefined || person.title_count !== count || person.name !== name) {
      state.people.put({ person_id: personId, name, title_count: count });
    }
  }
}

export function applyCatalog(state: CatalogState, event: RecordedEvent, _notices: Notices): void {
  if (event.type === 'TitleImported') {
    const existing = state.titles.get(event.data.titleId);
    state.titles.put(titleRow(event.data, event, existing?.created_at));
    replaceCredits(state, event.data);
  } else if (event.type === 'TitleUpdated') {
    const existing = state.titles.get(event.data.titleId);
    // An update of a title never imported has nothing to change: ingest imports first.
    if (existing === undefined) return;
    const merged = mergeChanges(titleData(existing), event.data.changes);
    state.titles.put(titleRow(merged, event, existing.created_at));
    if (event.data.changes.cast !== undefined || event.data.changes.directors !== undefined) replaceCredits(state, merged);
  }
}

async function flushCatalog(db: Queryable, schema: string, state: CatalogState): Promise<void> {
  await flushTable(db, schema, specs.titles, state.titles.changes());
  await flushTable(db, schema, specs.titlePeople, state.titlePeople.changes());
  await flushTable(db, schema, specs.people, state.people.changes());
}

export const catalogProjection: Projection<CatalogState> = {
  name: 'catalog',
  version: 1,
  eventTypes: ['TitleImported', 'TitleUpdated'],
  migrations: fileURLToPath(new URL('./migrations', import.meta.url)),
  views: {
    titles: 'SELECT * FROM {schema}.titles',
    title_people: 'SELECT * FROM {schema}.title_people',
    people: 'SELECT * FROM {schema}.people',
    genres: 'SELECT * FROM {schema}.genres',
  },
  seed: async (db, schema) => {
    const rows = TMDB_GENRES.map((genre) => ({ genre_id: genre.id, name: genre.name, media_types: genre.mediaTypes }));
    await db.query(
      `INSERT INTO ${ident(schema)}.genres SELECT * FROM json_populate_recordset(NULL::${ident(schema)}.genres, $1::json) ON CONFLICT DO NOTHING`,
      [JSON.stringify(rows)],
    );
  },
  deferredIndexes: [
    'titles_title_trgm',
    'titles_original_title_trgm',
    'titles_search',
    'titles_genre_ids',
    'titles_popularity',
    'titles_year',
    'titles_release_date',
    'titles_media_type',
    'titles_imdb_id',
    'title_people_person',
  ],
  load: loadCatalog,
  apply: applyCatalog,
  flush: flushCatalog,
  flushOnlyWrites: true,
};
