import pino from 'pino';
import { afterAll, describe, expect, it } from 'vitest';
import { projections } from '@reeltime/projector/src/projections.ts';
import { startProjector, type ProjectorService } from '@reeltime/projector/src/service.ts';
import { event, streams, titleImported, uuid } from '@reeltime/projector/src/testing/events.ts';
import { createHarness, eventually, type Harness } from '@reeltime/projector/src/testing/harness.ts';
import { errorLines, reportDrill } from './report.ts';

/*
 * Drill: several projectors starting at once, on a fresh install and again on an existing one,
 * while a reader keeps joining two read views (as query-api's title pages do). Each projector
 * is a full `startProjector` with its own pools, NATS connection and supervisor, in this
 * process: to PostgreSQL, where the locks are, they are separate clients just as separate
 * processes would be, and a start costs a second instead of a TypeScript compile. So no
 * projection runs in a thread of its own either (ownThreads off): each such thread compiles the
 * projector's TypeScript again, and sixteen of them on a busy machine kept the recommendations
 * lease unheld past 20 s (the same runner and SQL run on the main thread). Before the fix
 * starts collided on `CREATE TABLE IF NOT EXISTS` (23505 on pg_type) and now and then deadlocked
 * (40P01) in installViews.
 */
const INSTANCES = 4;
const INSTALLS = 2;
const ROUNDS = 2;

describe('drill: projectors starting at once', { timeout: 120_000 }, () => {
  const harnesses: Harness[] = [];
  afterAll(async () => {
    for (const h of harnesses) await h.close();
  });

  it('never deadlock or collide, and one of them holds each projection', async () => {
    const lines: string[] = [];
    const log = pino({ level: 'warn' }, { write: (line: string) => void lines.push(line) });
    let readerQueries = 0;
    const readerErrors: string[] = [];
    let startFailures = 0;
    let roundsUnheld = 0;
    const unheld: string[] = [];
    const heldAfterMs: Record<string, number> = {};
    let slowestStartMs = 0;
    for (let install = 0; install < INSTALLS; install++) {
      const h = await createHarness('drill_starts');
      harnesses.push(h);
      for (let i = 0; i < 10; i++) {
        const data = titleImported(5000 + i, `Drill ${i}`);
        const userId = uuid();
        await h.store.appendToStream(streams.title(data.titleId), [event('TitleImported', data)]);
        await h.store.appendToStream(streams.rating(userId, data.titleId), [
          event('TitleRated', { userId, titleId: data.titleId, score: 1 + (i % 10), containsSpoilers: false }),
        ]);
      }
      let reading = true;
      const reader = (async () => {
        while (reading) {
          try {
            await h.read('SELECT t.title_id, s.rating_count FROM read.titles t LEFT JOIN read.title_stats s USING (title_id) LIMIT 5');
            readerQueries++;
          } catch (error) {
            // Until the first start has made them, the views do not exist (42P01).
            if ((error as { code?: string }).code !== '42P01') readerErrors.push((error as Error).message);
          }
          await new Promise((resolve) => setTimeout(resolve, 2));
        }
      })();
      try {
        for (let round = 0; round < ROUNDS; round++) {
          const started = performance.now();
          const outcomes = await Promise.allSettled(
            Array.from({ length: INSTANCES }, () => startProjector({ ...h.settings, ownThreads: false }, projections, log)),
          );
          slowestStartMs = Math.max(slowestStartMs, performance.now() - started);
          const services = outcomes.flatMap((o) => (o.status === 'fulfilled' ? [o.value] : []));
          for (const outcome of outcomes)
            if (outcome.status === 'rejected') lines.push(JSON.stringify({ level: 60, msg: String(outcome.reason) }));
          startFailures += INSTANCES - services.length;
          const held = () =>
            services.flatMap((s: ProjectorService) =>
              [...s.supervisor.runners.values()].filter(({ runner }) => runner.active).map(({ runner }) => runner.name),
            );
          try {
            const roundAt = performance.now();
            const seen = new Set<string>();
            await eventually(async () => {
              for (const name of held().filter((name) => !seen.has(name))) {
                seen.add(name);
                heldAfterMs[name] = Math.max(heldAfterMs[name] ?? 0, Math.round(performance.now() - roundAt));
              }
              expect(held().sort()).toEqual(projections.map((projection) => projection.name).sort());
            }, 20_000);
          } catch {
            roundsUnheld++;
            const now = held();
            unheld.push(...projections.map((p) => p.name).filter((name) => !now.includes(name)));
          } finally {
            await Promise.all(services.map((s) => s.stop()));
          }
        }
      } finally {
        reading = false;
        await reader;
      }
    }
    const deadlocks = lines.filter((line) => /deadlock|40P01/.test(line));
    const errors = errorLines(lines);
    reportDrill('projector-starts', {
      instancesAtOnce: INSTANCES,
      starts: INSTANCES * INSTALLS * ROUNDS,
      startFailures,
      roundsWithAProjectionUnheld: roundsUnheld,
      unheld,
      deadlocks: deadlocks.length,
      errorLines: errors.length,
      slowestRoundMs: Math.round(slowestStartMs),
      heldAfterMs,
      readerQueries,
      readerErrors: readerErrors.length,
    });
    expect(startFailures).toBe(0);
    expect(roundsUnheld).toBe(0);
    expect(deadlocks).toEqual([]);
    expect(errors).toEqual([]);
    expect(readerErrors).toEqual([]);
  });
});
