import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addActivity } from './activity/stats.ts';
import { startChild, activeProjections, type Child } from './testing/child.ts';
import { event, streams, uuid } from './testing/events.ts';
import { createHarness, eventually, type Harness } from './testing/harness.ts';

/*
 * Real projector processes. Exactness is checked on trending_score: unlike the counters
 * (which a repeated rating would leave unchanged), every applied TitleRated moves it, so an
 * event applied twice, or lost, shows up.
 */
// Each test starts real processes (tsx compiling every projection, the recommendations engine
// included) and waits for them to catch up: more than the default 30 s on a busy machine.
describe('projector processes', { timeout: 60_000 }, () => {
  let h: Harness;
  const children: Child[] = [];
  const users = Array.from({ length: 12 }, () => uuid());
  const titles = Array.from({ length: 8 }, (_, i) => `movie:${700 + i}`);

  beforeAll(async () => {
    h = await createHarness('pj_proc', { PROJECTOR_BATCH_SIZE: '50' });
  });
  afterAll(async () => {
    for (const child of children) if (child.process.exitCode === null) child.process.kill('SIGKILL');
    await Promise.all(children.map((c) => c.exited));
    await h?.close();
  });

  const spawnProjector = () => {
    const child = startChild(h.env);
    children.push(child);
    return child;
  };

  let round = 0;
  async function rateRounds(rounds: number): Promise<void> {
    for (let r = 0; r < rounds; r++, round++) {
      await Promise.all(
        users.map(async (userId, u) => {
          for (const [t, titleId] of titles.entries()) {
            const score = 1 + ((u + t + round) % 10);
            await h.store.appendToStream(streams.rating(userId, titleId), [
              event('TitleRated', { userId, titleId, score, containsSpoilers: false }),
            ]);
          }
        }),
      );
    }
  }

  async function expectExact(): Promise<void> {
    const head = await h.lastAppended();
    await eventually(async () => {
      const [row] = await h.read<{ position: string }>(`SELECT position FROM read.projection_positions WHERE projection = 'activity'`);
      expect(row!.position >= head).toBe(true);
    }, 30_000);
    const expected = new Map<string, { trending: number | null; scores: Map<string, number> }>();
    for (let from = h.store.startPosition; ;) {
      const page = await h.store.readAll({ from, limit: 5000, eventTypes: ['TitleRated'] });
      for (const e of page.events) {
        if (e.type !== 'TitleRated') continue;
        const entry = expected.get(e.data.titleId) ?? { trending: null, scores: new Map() };
        entry.trending = addActivity(entry.trending, e.occurredAt);
        entry.scores.set(e.data.userId, e.data.score);
        expected.set(e.data.titleId, entry);
      }
      from = page.position;
      if (page.isEnd) break;
    }
    const rows = await h.read<{ title_id: string; rating_count: number; rating_sum: number; trending_score: number }>(
      'SELECT title_id, rating_count, rating_sum, trending_score FROM read.title_stats ORDER BY title_id',
    );
    expect(rows.map((r) => r.title_id)).toEqual([...expected.keys()].sort());
    for (const row of rows) {
      const want = expected.get(row.title_id)!;
      expect(row.rating_count).toBe(want.scores.size);
      expect(row.rating_sum).toBe([...want.scores.values()].reduce((a, b) => a + b, 0));
      expect(row.trending_score).toBeCloseTo(want.trending!, 9);
    }
    const [feed] = await h.read<{ n: number }>(`SELECT count(*)::int AS n FROM read.feed`);
    expect(feed!.n).toBe(users.length * titles.length);
  }

  it('loses and repeats nothing when the projector is SIGKILLed mid-stream and restarted', async () => {
    const first = spawnProjector();
    await first.port;
    const appending = rateRounds(6);
    await eventually(async () => {
      const [row] = await h.read<{ n: number }>(`SELECT count(*)::int AS n FROM read.ratings`);
      expect(row!.n).toBeGreaterThan(20);
    });
    first.process.kill('SIGKILL');
    await first.exited;
    await appending;
    const second = spawnProjector();
    await second.port;
    await expectExact();
    second.process.kill('SIGTERM');
    expect(await second.exited).toBe(0);
  });

  it('with two processes at once, one applies each projection and the standby takes over when it dies', async () => {
    const a = spawnProjector();
    const b = spawnProjector();
    await Promise.all([a.port, b.port]);
    const appending = rateRounds(3);
    await eventually(async () => {
      const held = [...(await activeProjections(a)), ...(await activeProjections(b))].sort();
      expect(held).toEqual(['activity', 'catalog', 'imports', 'recommendations']);
    });
    await appending;
    await expectExact();
    const holder = (await activeProjections(a)).includes('activity') ? a : b;
    const standby = holder === a ? b : a;
    holder.process.kill('SIGKILL');
    await holder.exited;
    const killedAt = Date.now();
    await eventually(
      async () => expect(await activeProjections(standby)).toEqual(['activity', 'catalog', 'imports', 'recommendations']),
      10_000,
      100,
    );
    expect(Date.now() - killedAt).toBeLessThan(5000);
    await rateRounds(1);
    await expectExact();
  });
});
