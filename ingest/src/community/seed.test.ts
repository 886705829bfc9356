import { buildCommandApi } from '@reeltime/command-api/src/app.ts';
import { registrationWrites } from '@reeltime/command-api/src/accounts/register.ts';
import { TEST_AUTH } from '@reeltime/command-api/src/testing/api.testing.ts';
import { projections } from '@reeltime/projector/src/projections.ts';
import { startProjector } from '@reeltime/projector/src/service.ts';
import { createHarness, eventually, type Harness } from '@reeltime/projector/src/testing/harness.ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ingestSettings } from '../settings.ts';
import { syncDemo } from '../sources.ts';
import { silentLog } from '../sync/environment.testing.ts';
import { openProgressStore, type ProgressStore } from '../sync/progress-store.ts';
import { loadDemoTitles } from './catalog.ts';
import { DEMO_ACCOUNT_EMAIL, DEMO_ACCOUNT_PASSWORD } from './credentials.ts';
import { communityId } from './community-id.ts';
import { planCommunity, type CommunityPlan } from './plan.ts';
import { seedCommunity, type SeedCommunityOptions } from './seed.ts';

// A small community keeps these quick; plan.test.ts checks the full-size one.
const PEOPLE = 30;
const NOW = new Date('2026-03-10T21:17:42Z');
const ANCHOR = new Date('2026-03-10T21:17:00Z');

/** A store with the demo catalog imported, ingest and command tables, all in throwaway schemas. */
async function environment(prefix: string) {
  const harness: Harness = await createHarness(prefix);
  const progressSchema = `${harness.base}_ingest`;
  const commandSchema = `${harness.base}_cmd`;
  const progress: ProgressStore = await openProgressStore({ connectionString: harness.url, schema: progressSchema, poolSize: 4 });
  const catalog = await syncDemo(ingestSettings({}), { store: harness.store, progress, log: silentLog });
  expect(catalog.status).toBe('completed');
  const count = async (where = 'true') =>
    (await harness.store.pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM events WHERE ${where}`)).rows[0]!.n;
  return {
    harness,
    progress,
    commandSchema,
    count,
    seed: (options: Partial<SeedCommunityOptions> = {}) =>
      seedCommunity({
        store: harness.store,
        progress,
        progressSchema,
        commandSchema,
        log: silentLog,
        people: PEOPLE,
        passwordCost: 12,
        now: () => NOW,
        ...options,
      }),
    async close() {
      await progress.close();
      await harness.close();
    },
  };
}

/** The ids of every event the plan appends, registrations included. */
function plannedEventIds(plan: CommunityPlan): string[] {
  return plan.writes.flatMap((write) =>
    write.kind === 'append'
      ? write.events.map((e) => e.eventId!)
      : registrationWrites({ ...write.account, passwordHash: '' }).flatMap((w) => w.events.map((e) => e.eventId!)),
  );
}

describe('seeding the demo community', () => {
  let env: Awaited<ReturnType<typeof environment>>;
  let catalogEvents: number;
  beforeAll(async () => {
    env = await environment('community');
    catalogEvents = await env.count();
  });
  afterAll(() => env?.close());

  it('given the demo catalog, when seeded twice, then the second seed appends nothing', { timeout: 120_000 }, async () => {
    const first = await env.seed();
    expect(first).toMatchObject({ status: 'seeded', resumed: false, anchor: ANCHOR.toISOString(), members: PEOPLE + 1 });
    const seeded = await env.count();
    expect(seeded - catalogEvents).toBe(first.events);
    const plan = planCommunity(await loadDemoTitles(), { anchor: ANCHOR, people: PEOPLE });
    expect(first.events).toBe(plan.events);
    // The same events: ids derive from stream and version only.
    const ids = (
      await env.harness.store.pool.query<{ id: string }>(`SELECT event_id::text AS id FROM events WHERE stream_id NOT LIKE 'title-%'`)
    ).rows.map((r) => r.id);
    expect(ids.sort()).toEqual(plannedEventIds(plan).sort());

    const second = await env.seed({ now: () => new Date(NOW.getTime() + 86_400_000) });
    expect(second).toMatchObject({ status: 'already_seeded', events: 0 });
    expect(await env.count()).toBe(seeded);
  });

  it('then the demo account signs in through the real command-api login; community members cannot', async () => {
    const app = await buildCommandApi({
      store: env.harness.store,
      pool: env.progress.pool,
      schema: env.commandSchema,
      auth: TEST_AUTH,
      logger: silentLog,
      authAttemptsPerMinute: 1000,
      passwordCost: 12,
    });
    try {
      const login = (email: string, password: string) => app.inject({ method: 'POST', url: '/auth/login', payload: { email, password } });
      const demo = await login(DEMO_ACCOUNT_EMAIL, DEMO_ACCOUNT_PASSWORD);
      expect(demo.statusCode).toBe(200);
      expect(demo.json()).toMatchObject({ userId: communityId('user:demo'), accessToken: expect.any(String) });
      // The demo account can use the API like anyone: rate a title it has not rated.
      const rated = await app.inject({
        method: 'PUT',
        url: '/ratings/movie:603',
        headers: { authorization: `Bearer ${demo.json().accessToken}` },
        payload: { score: 9 },
      });
      expect(rated.statusCode).toBe(200);

      const { rows } = await env.progress.pool.query<{ email: string }>(
        `SELECT email FROM ${env.commandSchema}.accounts WHERE email <> $1 LIMIT 1`,
        [DEMO_ACCOUNT_EMAIL],
      );
      for (const password of [DEMO_ACCOUNT_PASSWORD, '!unusable', 'a long password'])
        expect((await login(rows[0]!.email, password)).statusCode).toBe(401);
      expect((await login(DEMO_ACCOUNT_EMAIL, 'wrong password')).statusCode).toBe(401);
    } finally {
      await app.close();
    }
  });

  it(
    'then the projector shows the community: people, a feed, rated titles, public lists, the demo account',
    { timeout: 120_000 },
    async () => {
      const { harness } = env;
      const projector = await startProjector(harness.settings, projections, harness.log);
      try {
        const head = await harness.lastAppended();
        await eventually(async () => {
          const rows = await harness.read<{ position: string }>(`SELECT position FROM read.projection_positions`);
          expect(rows.length).toBe(projections.length);
          for (const row of rows) expect(row.position >= head).toBe(true);
        }, 60_000);
        const one = async (sql: string, values?: unknown[]) => (await harness.read<{ n: number }>(sql, values))[0]!.n;
        expect(await one('SELECT count(*)::int AS n FROM read.users')).toBe(PEOPLE + 1);
        expect(await one('SELECT count(*)::int AS n FROM read.feed')).toBeGreaterThan(200);
        expect(await one(`SELECT count(DISTINCT kind)::int AS n FROM read.feed`)).toBeGreaterThanOrEqual(4);
        expect(await one('SELECT count(*)::int AS n FROM read.title_stats WHERE rating_count > 0')).toBeGreaterThan(100);
        expect(await one('SELECT max(rating_count)::int AS n FROM read.title_stats')).toBeGreaterThanOrEqual(8);
        expect(await one(`SELECT count(*)::int AS n FROM read.lists WHERE visibility = 'public' AND item_count >= 3`)).toBeGreaterThan(10);
        expect(await one('SELECT count(*)::int AS n FROM read.title_stats WHERE list_count > 0')).toBeGreaterThan(20);
        // The newest feed entries are the most recent activity: positions follow the dates.
        const newest = await harness.read<{ occurred_at: Date | string }>(
          'SELECT occurred_at FROM read.feed ORDER BY position DESC LIMIT 10',
        );
        for (const row of newest) expect(new Date(row.occurred_at).getTime()).toBeGreaterThan(ANCHOR.getTime() - 14 * 86_400_000);

        const demo = communityId('user:demo');
        const lists = await harness.read<{ kind: string; visibility: string; item_count: number }>(
          'SELECT kind, visibility, item_count FROM read.lists WHERE owner_id = $1 ORDER BY kind DESC, created_at',
          [demo],
        );
        expect(lists[0]).toMatchObject({ kind: 'watchlist' });
        expect(lists[0]!.item_count).toBeGreaterThanOrEqual(8);
        expect(lists.filter((l) => l.kind === 'custom').length).toBeGreaterThanOrEqual(2);
        expect(await one('SELECT count(*)::int AS n FROM read.ratings WHERE user_id = $1 AND score >= 7', [demo])).toBeGreaterThanOrEqual(
          5,
        );
        expect(await one('SELECT count(*)::int AS n FROM read.diary WHERE user_id = $1', [demo])).toBeGreaterThanOrEqual(20);
        expect(await one('SELECT cardinality(liked_genres) AS n FROM read.preferences WHERE user_id = $1', [demo])).toBeGreaterThanOrEqual(
          2,
        );
        // Once its first model is fitted, the demo account's picks come from the community's tastes.
        await eventually(async () => {
          const picks = await harness.read<{ reasons: { kind: string }[] }>(
            'SELECT reasons FROM read.recommendations WHERE user_id = $1 ORDER BY rank LIMIT 10',
            [demo],
          );
          expect(picks).toHaveLength(10);
          expect(picks.filter((pick) => pick.reasons[0]!.kind === 'similar').length).toBeGreaterThanOrEqual(5);
        }, 60_000);
      } finally {
        await projector.stop();
      }
    },
  );
});

describe('a seed killed half-way', () => {
  let env: Awaited<ReturnType<typeof environment>>;
  beforeAll(async () => {
    env = await environment('community_kill');
  });
  afterAll(() => env?.close());

  it('is resumed by the next one, which adds exactly the missing events', { timeout: 120_000 }, async () => {
    const catalogEvents = await env.count();
    await expect(env.seed({ stopAfter: 400 })).rejects.toThrow(/stopped after/);
    const partial = await env.count();
    expect(partial).toBeGreaterThan(catalogEvents);

    // A day later: the plan is still made from the first attempt's anchor and titles.
    const resumed = await env.seed({ now: () => new Date(NOW.getTime() + 86_400_000) });
    expect(resumed).toMatchObject({ status: 'seeded', resumed: true, anchor: ANCHOR.toISOString() });
    const plan = planCommunity(await loadDemoTitles(), { anchor: ANCHOR, people: PEOPLE });
    expect(await env.count()).toBe(catalogEvents + plan.events);
    const ids = (
      await env.harness.store.pool.query<{ id: string }>(`SELECT event_id::text AS id FROM events WHERE stream_id NOT LIKE 'title-%'`)
    ).rows.map((r) => r.id);
    expect(ids.sort()).toEqual(plannedEventIds(plan).sort());
    expect((await env.seed()).status).toBe('already_seeded');
  });
});
