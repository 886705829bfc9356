import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { activityProjection } from '@reeltime/projector/src/activity/projection.ts';
import { addActivity } from '@reeltime/projector/src/activity/stats.ts';
import { catalogProjection } from '@reeltime/projector/src/catalog/projection.ts';
import type { Projection } from '@reeltime/projector/src/model/projection.ts';
import { startProjector, type ProjectorService } from '@reeltime/projector/src/service.ts';
import { event, streams, titleImported, uuid } from '@reeltime/projector/src/testing/events.ts';
import { createHarness, eventually, type Harness } from '@reeltime/projector/src/testing/harness.ts';
import { reportDrill } from './report.ts';

/*
 * Drill: `npm run replay -- --projection activity` (a blue/green rebuild, in a process of its
 * own) killed with SIGKILL half-way while a projector serves the current version and new events
 * keep coming. The old version keeps serving, exactly; the next replay resumes the same build
 * and swaps it in with exact counters.
 */
const REPLAY = fileURLToPath(new URL('../projector/src/replay-cli.ts', import.meta.url));
const USERS = 20;
const TITLES = 20;

type Generation = { schema_name: string; status: string; checkpoint: string };

describe('drill: a projector killed in the middle of a blue/green rebuild', { timeout: 120_000 }, () => {
  let h: Harness;
  let serving: ProjectorService | undefined;
  const children: ChildProcess[] = [];
  const users = Array.from({ length: USERS }, () => uuid());
  const titles = Array.from({ length: TITLES }, (_, i) => `movie:${8300 + i}`);
  let appended = 0;

  beforeAll(async () => {
    h = await createHarness('drill_rebuild', { PROJECTOR_BATCH_SIZE: '500' });
    for (const [i, titleId] of titles.entries()) {
      await h.store.appendToStream(streams.title(titleId), [event('TitleImported', titleImported(8300 + i, `Rebuilt ${i}`))]);
    }
  });
  afterAll(async () => {
    for (const child of children) if (child.exitCode === null) child.kill('SIGKILL');
    await serving?.stop();
    await h?.close();
  });

  /** Each user re-rates each title `times` times, in one append per rating stream. */
  async function rate(times: number): Promise<void> {
    for (const [u, userId] of users.entries()) {
      await Promise.all(
        titles.map((titleId, t) => {
          const batch = Array.from({ length: times }, (_, k) =>
            event('TitleRated', { userId, titleId, score: 1 + ((u + t + k + appended) % 10), containsSpoilers: false }),
          );
          return h.store.appendToStream(streams.rating(userId, titleId), batch);
        }),
      );
    }
    appended += times;
  }

  function replay(): { child: ChildProcess; exited: Promise<number | null>; output: string[] } {
    // Batch by batch and in small batches: the build takes long enough to be killed half-way.
    const env = {
      ...process.env,
      ...h.env,
      PROJECTOR_BULK_LOAD: '0',
      PROJECTOR_REBUILD_BATCH_SIZE: '200',
      PROJECTOR_BATCH_SIZE: '200',
      LOG_LEVEL: 'info',
    };
    const child = spawn(process.execPath, ['--import', 'tsx', REPLAY, '--projection', 'activity'], {
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    children.push(child);
    const output: string[] = [];
    child.stdout!.on('data', (chunk: Buffer) => output.push(chunk.toString()));
    child.stderr!.on('data', (chunk: Buffer) => output.push(chunk.toString()));
    return { child, exited: once(child, 'exit').then(([code]) => code as number | null), output };
  }

  const generations = async () =>
    (
      await h.pool.query<Generation>(
        `SELECT schema_name, status, checkpoint FROM ${h.settings.coreSchema}.projections WHERE projection = 'activity'`,
      )
    ).rows;

  /** title_stats as the store says they must be, against what `read.title_stats` shows once caught up. */
  async function exactness(): Promise<{ titles: number; wrong: string[] }> {
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
      'SELECT title_id, rating_count, rating_sum, trending_score FROM read.title_stats',
    );
    const wrong: string[] = [];
    for (const row of rows) {
      const want = expected.get(row.title_id);
      const sum = want ? [...want.scores.values()].reduce((a, b) => a + b, 0) : 0;
      if (!want || row.rating_count !== want.scores.size || row.rating_sum !== sum || Math.abs(row.trending_score - want.trending!) > 1e-6)
        wrong.push(row.title_id);
    }
    if (rows.length !== expected.size) wrong.push(`${rows.length} rows for ${expected.size} titles`);
    return { titles: rows.length, wrong };
  }

  it('keeps the old version serving, then the next replay finishes the build with exact counters', async () => {
    await rate(10);
    const log = pino({ level: process.env.LOG_LEVEL ?? 'silent' });
    serving = await startProjector(h.settings, [catalogProjection, activityProjection] as Projection[], log);
    const before = await exactness();
    const [old] = (await generations()).filter((g) => g.status === 'serving');

    const first = replay();
    // Killed once the build has projected something but is still short of the head.
    const head = await h.lastAppended();
    let killedAt: Generation | undefined;
    await eventually(
      async () => {
        const building = (await generations()).find((g) => g.status === 'building');
        expect(building !== undefined && building.checkpoint > h.store.startPosition && building.checkpoint < head).toBe(true);
        killedAt = building;
      },
      60_000,
      20,
    );
    first.child.kill('SIGKILL');
    await first.exited;

    // The old version keeps serving, new events included.
    await rate(2);
    const afterKill = await exactness();
    const stillServing = (await generations()).find((g) => g.status === 'serving');

    const started = performance.now();
    const second = replay();
    const code = await second.exited;
    const rebuildSeconds = (performance.now() - started) / 1000;
    const now = (await generations()).find((g) => g.status === 'serving');
    const afterSwap = await exactness();
    const { rows } = await h.store.pool.query<{ n: string }>(`SELECT count(*) AS n FROM events`);

    reportDrill('rebuild-kill', {
      eventsStored: Number(rows[0]!.n),
      killedBuild: killedAt?.schema_name,
      killedAtCheckpoint: killedAt?.checkpoint,
      headAtKill: head,
      oldVersionServingAfterKill: stillServing?.schema_name === old?.schema_name,
      wrongTitlesBefore: before.wrong.length,
      wrongTitlesAfterKill: afterKill.wrong.length,
      secondReplayExit: code,
      secondReplaySeconds: Math.round(rebuildSeconds * 10) / 10,
      resumedSameBuild: now?.schema_name === killedAt?.schema_name,
      wrongTitlesAfterSwap: afterSwap.wrong.length,
      titles: afterSwap.titles,
    });
    expect(before.wrong).toEqual([]);
    expect(stillServing?.schema_name).toBe(old?.schema_name);
    expect(afterKill.wrong).toEqual([]);
    expect(code, second.output.join('').slice(-2000)).toBe(0);
    expect(now?.schema_name).toBe(killedAt?.schema_name);
    expect(afterSwap.wrong).toEqual([]);
    expect(afterSwap.titles).toBe(TITLES);
  });
});
