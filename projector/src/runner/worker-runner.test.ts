import { writeFileSync } from 'node:fs';
import { connect, type NatsConnection } from 'nats';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { catalogProjection } from '../catalog/projection.ts';
import type { Projection } from '../model/projection.ts';
import { recommendationsProjection } from '../recommendations/projection.ts';
import { startProjector, type ProjectorService } from '../service.ts';
import { crashDrillProjection, crashFlag, removeCrashFlag } from '../testing/crash-drill.ts';
import { event, streams, titleImported, uuid } from '../testing/events.ts';
import { createHarness, eventually, type Harness } from '../testing/harness.ts';
import { ProjectionRunner } from './runner.ts';
import { WorkerRunner } from './worker-runner.ts';

/** The log lines of a projector, parsed. */
function capturingLog() {
  const lines: { level: number; msg: string; projection?: string; err?: { message: string } }[] = [];
  const log = pino({ level: 'info' }, { write: (line: string) => void lines.push(JSON.parse(line)) });
  return { log, lines };
}

const metricsOf = async (service: ProjectorService) => (await fetch(`http://127.0.0.1:${service.port}/metrics`)).text();
const readiness = async (service: ProjectorService) => {
  const response = await fetch(`http://127.0.0.1:${service.port}/health/ready`);
  return { status: response.status, body: (await response.json()) as { checks: Record<string, unknown> } };
};

// Worker threads compile the runner and the projection through tsx on start: slow on a busy machine.
describe('a projection in a worker thread of its own', { timeout: 60_000 }, () => {
  let h: Harness;
  let nats: NatsConnection;
  const subjects: string[] = [];

  beforeAll(async () => {
    h = await createHarness('pj_thread', { RECOMMENDATIONS_REFIT_MS: '0' });
    nats = await connect({ servers: h.settings.natsUrl });
    const subscription = nats.subscribe(`${h.base}.>`);
    void (async () => {
      for await (const message of subscription) subjects.push(message.subject);
    })();
  });
  afterAll(async () => {
    await nats?.close();
    await h?.close();
  });

  it("runs the recommendations there, with its notices, metrics and progress on the main thread's publisher, registry and health check", async () => {
    const service = await startProjector(h.settings, [catalogProjection as Projection, recommendationsProjection as Projection], h.log);
    try {
      expect(service.supervisor.runners.get('recommendations')!.runner).toBeInstanceOf(WorkerRunner);
      expect(service.supervisor.runners.get('catalog')!.runner).toBeInstanceOf(ProjectionRunner);
      const fan = uuid();
      for (let i = 0; i < 6; i++) {
        await h.store.appendToStream(streams.title(`movie:${900 + i}`), [event('TitleImported', titleImported(900 + i, `Film ${i}`))]);
      }
      for (let i = 0; i < 3; i++) {
        const titleId = `movie:${900 + i}`;
        await h.store.appendToStream(streams.rating(fan, titleId), [
          event('TitleRated', { userId: fan, titleId, score: 9, containsSpoilers: false }),
        ]);
      }
      await eventually(async () => {
        const rows = await h.read<{ title_id: string }>('SELECT title_id FROM read.recommendations WHERE user_id = $1', [fan]);
        expect(rows.length).toBeGreaterThan(0);
      }, 30_000);
      // Published through the main thread's NATS connection: the fan's notice and the projection's position.
      await eventually(async () => {
        expect(subjects).toContain(`${h.base}.live.me.${fan}`);
        expect(subjects).toContain(`${h.base}.position.recommendations`);
      });
      await eventually(async () => {
        const text = await metricsOf(service);
        expect(text).toMatch(/^projector_active\{[^}]*projection="recommendations"[^}]*mode="serving"[^}]*\} 1$/m);
        const applied = /^projector_events_total\{[^}]*projection="recommendations"[^}]*\} (\d+)$/m.exec(text);
        expect(Number(applied?.[1])).toBeGreaterThanOrEqual(9);
      });
      const runner = service.supervisor.runners.get('recommendations')!.runner;
      await eventually(async () => expect(runner.active && runner.mode === 'serving' && !runner.stalled).toBe(true));
      expect((await readiness(service)).status).toBe(200);
    } finally {
      await service.stop();
    }
    // The stop let the worker finish and end: its lease is free, its gauge says so.
    expect(service.supervisor.runners.size).toBe(0);
  });

  it('starts a worker that died again, logging the crash and reporting it until the new one leads', async () => {
    const { log, lines } = capturingLog();
    const service = await startProjector(h.settings, [crashDrillProjection], log);
    const doomed = uuid();
    writeFileSync(crashFlag(doomed), '');
    try {
      expect(service.supervisor.runners.get('crash_drill')!.runner).toBeInstanceOf(WorkerRunner);
      await h.store.appendToStream(streams.user(doomed), [event('UserErased', { userId: doomed })]);
      // Each new worker meets the same event and dies again, as long as the flag is there.
      await eventually(
        async () => {
          const ready = await readiness(service);
          expect(ready.status).toBe(503);
          expect(ready.body.checks.crashed).toEqual(['crash_drill']);
        },
        30_000,
        20,
      );
      const crashes = lines.filter((line) => line.msg.startsWith('projection runner crashed') && line.projection === 'crash_drill');
      expect(crashes.length).toBeGreaterThan(0);
      expect(crashes[0]!.err?.message).toContain(`crash drill: ${doomed}`);
      expect(await metricsOf(service)).toMatch(/^projector_errors_total\{[^}]*projection="crash_drill"[^}]*\} [1-9]/m);
      removeCrashFlag(doomed);
      // The next worker applies the event and leads: nothing was lost, and the process is ready again.
      const head = await h.lastAppended();
      await eventually(async () => {
        const [row] = await h.pool
          .query<{ checkpoint: string }>(
            `SELECT checkpoint FROM ${h.settings.coreSchema}.projections WHERE projection = 'crash_drill' AND status = 'serving'`,
          )
          .then((result) => result.rows);
        expect(row!.checkpoint >= head).toBe(true);
        expect((await readiness(service)).status).toBe(200);
      }, 30_000);
    } finally {
      removeCrashFlag(doomed);
      await service.stop();
    }
  });
});
