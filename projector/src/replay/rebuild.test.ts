import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { activityProjection } from '../activity/projection.ts';
import { catalogProjection } from '../catalog/projection.ts';
import type { Projection } from '../model/projection.ts';
import { ProjectorMetrics } from '../observability/metrics.ts';
import { importsProjection } from '../imports/projection.ts';
import { projections } from '../projections.ts';
import { recommendationsProjection } from '../recommendations/projection.ts';
import { LivePublisher } from '../runner/live.ts';
import { startProjector, type ProjectorService } from '../service.ts';
import { event, streams, titleImported, uuid } from '../testing/events.ts';
import { createHarness, eventually, type Harness } from '../testing/harness.ts';
import { rebuild } from './rebuild.ts';

const QUERIES = [
  `SELECT t.title_id, t.title, t.genres, s.rating_average, s.rating_count, s.list_count, s.trending_score
     FROM read.titles t LEFT JOIN read.title_stats s USING (title_id) ORDER BY s.trending_score DESC NULLS LAST, t.title_id`,
  `SELECT l.list_id, l.name, l.visibility, l.item_count, l.version, array_agg(i.title_id ORDER BY i.ord) AS items
     FROM read.lists l LEFT JOIN read.list_items i USING (list_id) GROUP BY l.list_id, l.name, l.visibility, l.item_count, l.version ORDER BY l.list_id`,
  `SELECT f.position, f.kind, u.display_name, f.title_id, f.data FROM read.feed f JOIN read.users u USING (user_id) ORDER BY f.position DESC`,
  `SELECT user_id, title_id, score, rated_at, updated_at FROM read.ratings ORDER BY user_id, title_id`,
  `SELECT * FROM read.people ORDER BY person_id`,
];

describe('blue/green rebuild', () => {
  let h: Harness;
  let service: ProjectorService | undefined;
  const users = Array.from({ length: 6 }, () => uuid());
  const titles = Array.from({ length: 10 }, (_, i) => `movie:${900 + i}`);

  beforeAll(async () => {
    h = await createHarness('pj_rebuild');
  });
  afterAll(async () => {
    await service?.stop();
    await h?.close();
  });

  async function activity(rounds: number): Promise<void> {
    for (let round = 0; round < rounds; round++) {
      for (const [u, userId] of users.entries()) {
        const titleId = titles[(u + round) % titles.length]!;
        await h.store.appendToStream(streams.rating(userId, titleId), [
          event('TitleRated', { userId, titleId, score: 1 + ((u * 3 + round) % 10), containsSpoilers: false }),
        ]);
        const listId = uuid();
        await h.store.appendToStream(streams.list(listId), [
          event('ListCreated', {
            listId,
            ownerId: userId,
            name: `list ${round}`,
            description: '',
            visibility: round % 2 ? 'public' : 'private',
            kind: 'custom',
          }),
          event('ListItemAdded', { listId, titleId }),
          event('ListItemAdded', { listId, titleId: titles[(u + round + 1) % titles.length]! }),
        ]);
      }
    }
  }

  async function caughtUp(): Promise<void> {
    const head = await h.lastAppended();
    await eventually(async () => {
      const rows = await h.read<{ projection: string; position: string }>('SELECT projection, position FROM read.projection_positions');
      expect(rows.map((row) => row.projection).sort()).toEqual(['activity', 'catalog', 'imports', 'recommendations']);
      for (const row of rows) expect(row.position >= head).toBe(true);
    });
  }

  const answers = () => Promise.all(QUERIES.map((sql) => h.read(sql)));

  it('swaps in a rebuilt version while queries run: none fails, answers are identical before and after', async () => {
    for (const [i, titleId] of titles.entries()) {
      await h.store.appendToStream(streams.title(titleId), [
        event(
          'TitleImported',
          titleImported(900 + i, `Title ${i}`, { cast: [{ personId: 10 + i, name: `P${i}`, character: '', order: 0 }] }),
        ),
      ]);
    }
    for (const userId of users)
      await h.store.appendToStream(streams.user(userId), [event('UserRegistered', { userId, displayName: `U ${userId.slice(0, 4)}` })]);
    await activity(8);
    service = await startProjector(h.settings, projections, h.log);
    await caughtUp();
    const before = await answers();
    const schemasBefore = await h.read<{ schema_name: string }>(`SELECT schema_name FROM ${h.settings.coreSchema}.projections ORDER BY 1`);

    let stop = false;
    let queries = 0;
    const failures: unknown[] = [];
    const querying = (async () => {
      while (!stop) {
        try {
          const now = await answers();
          queries++;
          expect(now).toEqual(before);
        } catch (error) {
          failures.push(error);
        }
      }
    })();
    const live = new LivePublisher(h.settings.natsUrl, h.settings.subjectPrefix, h.log);
    const results = await rebuild({
      projections,
      pool: h.pool,
      store: h.store,
      settings: h.settings,
      live,
      metrics: new ProjectorMetrics(false),
      log: h.log,
    });
    await live.close();
    await caughtUp();
    stop = true;
    await querying;

    expect(results.map((r) => [r.projection, r.outcome])).toEqual(projections.map((p) => [p.name, 'swapped']));
    expect(failures).toEqual([]);
    expect(queries).toBeGreaterThan(3);
    expect(await answers()).toEqual(before);
    const schemasAfter = await h.read<{ schema_name: string; status: string }>(
      `SELECT schema_name, status FROM ${h.settings.coreSchema}.projections ORDER BY 1`,
    );
    expect(schemasAfter.map((s) => s.schema_name)).toEqual(results.map((r) => r.schema).sort());
    expect(schemasAfter.every((s) => s.status === 'serving')).toBe(true);
    const dropped = await h.read(`SELECT nspname FROM pg_namespace WHERE nspname = ANY($1)`, [schemasBefore.map((s) => s.schema_name)]);
    expect(dropped).toEqual([]);
    // The running projector moved over to the new generation and keeps projecting.
    await activity(1);
    await caughtUp();
    await eventually(async () =>
      expect([...service!.supervisor.runners.values()].map((r) => r.runner.schema).sort()).toEqual(results.map((r) => r.schema).sort()),
    );
  });

  it('rebuilds a bumped version at start-up while the old one serves, without a gap in live_updates', async () => {
    await service!.stop();
    service = undefined;
    const bumped: Projection = { ...(activityProjection as Projection), version: 2 };
    // The old version's process is gone; events keep arriving while v2 builds.
    const appending = activity(3);
    service = await startProjector(
      h.settings,
      [catalogProjection as Projection, bumped, recommendationsProjection as Projection, importsProjection as Projection],
      h.log,
    );
    await appending;
    await eventually(async () => {
      const [row] = await h.read<{ version: number }>(`SELECT version FROM read.projection_positions WHERE projection = 'activity'`);
      expect(row!.version).toBe(2);
    });
    await caughtUp();
    const rated = await h.store.readAll({ limit: 10_000, eventTypes: ['TitleRated'] });
    const feed = await h.read<{ position: string }>(
      `SELECT position FROM read.live_updates WHERE channel = 'feed' AND data->>'type' = 'feed.added' AND data->'entry'->>'kind' = 'rated' ORDER BY position`,
    );
    expect(feed.map((row) => row.position)).toEqual(rated.events.map((e) => e.position));
  });
});
