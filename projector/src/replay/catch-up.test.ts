import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EventData } from '@reeltime/schemas';
import { activityProjection } from '../activity/projection.ts';
import { catalogProjection } from '../catalog/projection.ts';
import { createGeneration } from '../core/registry.ts';
import type { Projection } from '../model/projection.ts';
import { ProjectorMetrics } from '../observability/metrics.ts';
import { LivePublisher } from '../runner/live.ts';
import { startProjector } from '../service.ts';
import type { ProjectorSettings } from '../settings.ts';
import { event, streams, titleImported, uuid } from '../testing/events.ts';
import { createHarness, eventually, type Harness } from '../testing/harness.ts';
import { rebuild } from './rebuild.ts';

/** A tiny deterministic PRNG so a failing sequence can be replayed. */
function random(seed: number) {
  let state = seed >>> 0;
  return () => {
    state = (state * 1664525 + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

// Text that must survive the typed-array writes unchanged.
const TRICKY = [
  'plain',
  'with "quotes"',
  'back\\slash',
  'tab\there',
  'two\nlines\r\n',
  '\\N',
  '{braces}, commas',
  'NULL',
  'ünïcödé ✓',
  "it's",
];

/**
 * The projections this test builds, live and in every catch-up mode: those whose tables it
 * compares (TABLES). The catch-up modes (bulk load, bounded working set, loading per batch) are
 * theirs; the recommendations projection is resident (one in-memory engine replayed from the
 * store whatever the mode), its rows are not comparable row for row across builds (trending
 * follows the clock) and it has its own rebuild test (recommendations/projection.test.ts).
 */
const rebuilt = [catalogProjection as Projection, activityProjection as Projection];

const TABLES = {
  catalog: ['titles', 'title_people', 'people', 'genres'],
  activity: ['users', 'title_stats', 'ratings', 'lists', 'list_items', 'diary', 'preferences', 'feed'],
} as const;

describe('catch-up rebuild (big batches, working set, deferred indexes)', () => {
  let h: Harness;

  beforeAll(async () => {
    h = await createHarness('pj_catchup');
  });
  afterAll(async () => {
    await h?.close();
  });

  /** A random but valid history touching every handler, erasures included. */
  async function history(seed: number, steps: number): Promise<void> {
    const next = random(seed);
    const pick = <T>(values: readonly T[]) => values[Math.floor(next() * values.length)]!;
    const titles = Array.from({ length: 12 }, (_, i) => `movie:${700 + i}`);
    for (const [i, titleId] of titles.entries()) {
      await h.store.appendToStream(streams.title(titleId), [
        event(
          'TitleImported',
          titleImported(700 + i, `${pick(TRICKY)} ${i}`, {
            cast: [{ personId: 30 + (i % 5), name: pick(TRICKY), character: pick(TRICKY), order: 0 }],
          }),
        ),
      ]);
    }
    const users = Array.from({ length: 6 }, () => uuid());
    for (const userId of users)
      await h.store.appendToStream(streams.user(userId), [event('UserRegistered', { userId, displayName: pick(TRICKY) })]);
    const erased = new Set<string>();
    const rated = new Set<string>();
    const lists = new Map<string, { owner: string; items: string[] }>();
    const entries = new Map<string, string>();
    for (let step = 0; step < steps; step++) {
      const userId = pick(users);
      if (erased.has(userId)) continue;
      const titleId = pick(titles);
      const roll = next();
      if (roll < 0.3) {
        rated.add(`${userId}|${titleId}`);
        const review = next() < 0.5 ? { review: pick(TRICKY) } : {};
        await h.store.appendToStream(streams.rating(userId, titleId), [
          event('TitleRated', { userId, titleId, score: 1 + Math.floor(next() * 10), containsSpoilers: next() < 0.2, ...review }),
        ]);
      } else if (roll < 0.36) {
        if (!rated.delete(`${userId}|${titleId}`)) continue;
        await h.store.appendToStream(streams.rating(userId, titleId), [event('TitleUnrated', { userId, titleId })]);
      } else if (roll < 0.42) {
        const listId = uuid();
        lists.set(listId, { owner: userId, items: [] });
        const visibility = next() < 0.5 ? 'public' : 'private';
        await h.store.appendToStream(streams.list(listId), [
          event('ListCreated', {
            listId,
            ownerId: userId,
            name: pick(TRICKY),
            description: next() < 0.3 ? '' : pick(TRICKY),
            visibility,
            kind: 'custom',
          }),
        ]);
      } else if (roll < 0.7) {
        const mine = [...lists].filter(([, list]) => !erased.has(list.owner));
        if (mine.length === 0) continue;
        const [listId, list] = pick(mine);
        const what = next();
        if (what < 0.45 && !list.items.includes(titleId)) {
          list.items.push(titleId);
          await h.store.appendToStream(streams.list(listId), [
            event('ListItemAdded', { listId, titleId, ...(next() < 0.3 ? { note: pick(TRICKY) } : {}) }),
          ]);
        } else if (what < 0.6 && list.items.length > 0) {
          const [removed] = list.items.splice(Math.floor(next() * list.items.length), 1);
          await h.store.appendToStream(streams.list(listId), [event('ListItemRemoved', { listId, titleId: removed! })]);
        } else if (what < 0.7 && list.items.length > 1) {
          list.items.reverse();
          await h.store.appendToStream(streams.list(listId), [event('ListItemsReordered', { listId, titleIds: [...list.items] })]);
        } else if (what < 0.85) {
          await h.store.appendToStream(streams.list(listId), [
            event('ListVisibilityChanged', { listId, visibility: next() < 0.5 ? 'public' : 'private' }),
          ]);
        } else if (what < 0.93) {
          await h.store.appendToStream(streams.list(listId), [event('ListRenamed', { listId, name: pick(TRICKY) })]);
        } else {
          lists.delete(listId);
          await h.store.appendToStream(streams.list(listId), [event('ListDeleted', { listId })]);
        }
      } else if (roll < 0.85) {
        const entryId = uuid();
        entries.set(entryId, userId);
        await h.store.appendToStream(streams.diary(userId), [
          event('TitleWatched', { entryId, userId, titleId, watchedOn: '2024-02-29', rewatch: next() < 0.3 }),
        ]);
      } else if (roll < 0.9) {
        const own = [...entries].filter(([, owner]) => owner === userId);
        if (own.length === 0) continue;
        const [entryId] = pick(own);
        entries.delete(entryId);
        await h.store.appendToStream(streams.diary(userId), [event('DiaryEntryRemoved', { entryId, userId })]);
      } else if (roll < 0.985) {
        const genreId = pick([18, 28, 878] as const) as EventData<'GenreLiked'>['genreId'];
        await h.store.appendToStream(streams.preferences(userId), [
          event(next() < 0.7 ? 'GenreLiked' : 'GenreUnliked', { userId, genreId }),
        ]);
      } else if (erased.size < 2) {
        erased.add(userId);
        await h.store.appendToStream(streams.user(userId), [event('UserErased', { userId })]);
      }
    }
  }

  async function servingSchemas(): Promise<Record<string, string>> {
    const rows = await h.read<{ projection: string; schema_name: string }>(
      `SELECT projection, schema_name FROM ${h.settings.coreSchema}.projections WHERE status = 'serving'`,
    );
    return Object.fromEntries(rows.map((row) => [row.projection, row.schema_name]));
  }

  /** Every row of every table of the serving generations (internal columns included). */
  async function contents(): Promise<Record<string, unknown[]>> {
    const schemas = await servingSchemas();
    const result: Record<string, unknown[]> = {};
    for (const [projection, tables] of Object.entries(TABLES)) {
      for (const table of tables) {
        const rows = await h.read<{ row: string }>(`SELECT to_jsonb(t)::text AS row FROM ${schemas[projection]}.${table} t ORDER BY 1`);
        result[table] = rows.map((r) => r.row);
      }
    }
    return result;
  }

  async function indexes(): Promise<string[]> {
    const schemas = Object.values(await servingSchemas());
    const rows = await h.read<{ name: string }>(`SELECT indexname AS name FROM pg_indexes WHERE schemaname = ANY($1) ORDER BY 1`, [
      schemas,
    ]);
    return rows.map((r) => r.name);
  }

  async function rebuildWith(overrides: Partial<ProjectorSettings>) {
    const live = new LivePublisher(h.settings.natsUrl, h.settings.subjectPrefix, h.log);
    try {
      const settings = { ...h.settings, ...overrides };
      return await rebuild({
        projections: rebuilt,
        pool: h.pool,
        store: h.store,
        settings,
        live,
        metrics: new ProjectorMetrics(false),
        log: h.log,
      });
    } finally {
      await live.close();
    }
  }

  // A live build and seven rebuilds: more than the default 30 s on a busy machine.
  it('yields exactly the tables and indexes the live path built, in every catch-up mode', { timeout: 90_000 }, async () => {
    await history(424242, 700);
    // The live path: a fresh install serves from the start, batch by batch, loading from the database.
    const service = await startProjector({ ...h.settings, batchSize: 5 }, rebuilt, h.log);
    const head = await h.lastAppended();
    try {
      await eventually(async () => {
        const rows = await h.read<{ projection: string; position: string }>('SELECT projection, position FROM read.projection_positions');
        expect(rows.map((row) => row.projection).sort()).toEqual(rebuilt.map((p) => p.name).sort());
        for (const row of rows) expect(row.position >= head).toBe(true);
      });
    } finally {
      await service.stop();
    }
    const live = (await contents()) as Record<string, string[]>;
    const liveIndexes = await indexes();
    expect(live.feed!.length).toBeGreaterThan(50);
    expect(live.users!.some((row) => row.includes('"erased_at": "'))).toBe(true);

    /** What a bulk load cut short by a crash leaves: rows under a checkpoint still at the start. */
    const interruptedBulkLoad = async () => {
      const { schema_name: schema } = await createGeneration(h.pool, h.settings, activityProjection, 'building', h.store.startPosition);
      await h.pool.query(`INSERT INTO ${schema}.users (user_id, position) VALUES ('left-over', 'x')`);
      await h.pool.query(
        `INSERT INTO ${schema}.feed (position, kind, user_id, data, occurred_at) VALUES ('x', 'rated', 'left-over', '{}', now())`,
      );
      await h.pool.query(`INSERT INTO ${schema}.pending_live_updates (channel, position, data) VALUES ('feed', 'x', '{}')`);
    };
    const modes: [string, Partial<ProjectorSettings>, (() => Promise<void>)?][] = [
      ['bulk load', {}],
      // Small pages: the feed is drained (written) page by page, its removal rules reach back.
      ['bulk load in small pages', { rebuildBatchSize: 37 }],
      ['bulk load after an interrupted one', {}, interruptedBulkLoad],
      ['bulk load outgrowing its bound, then batch by batch', { rebuildBatchSize: 29, workingSetRows: 150 }],
      // Small catch-up batches: the working set and the pipeline carry state across many commits.
      ['working set, pipelined', { bulkLoad: false, rebuildBatchSize: 37 }],
      ['one big batch', { bulkLoad: false, rebuildBatchSize: 20_000 }],
      ['no working set (loads per batch)', { rebuildBatchSize: 53, workingSetRows: 0 }],
    ];
    for (const [mode, overrides, before] of modes) {
      await before?.();
      const results = await rebuildWith(overrides);
      expect(
        results.map((r) => [r.projection, r.outcome]),
        mode,
      ).toEqual(rebuilt.map((p) => [p.name, 'swapped']));
      expect(await contents(), mode).toEqual(live);
      expect(await indexes(), mode).toEqual(liveIndexes);
      for (const result of results) {
        expect(await h.read(`SELECT * FROM ${result.schema}.deferred_indexes`), mode).toEqual([]);
      }
    }
  });
});
