/*
 * Blue/green rebuild of read models:  npm run replay -- [--projection NAME]...
 * Builds each projection into a fresh schema from position zero with a progress bar while the
 * current version keeps serving, swaps it in atomically once caught up, drops the old tables.
 */
import { parseArgs } from 'node:util';
import cliProgress from 'cli-progress';
import pino from 'pino';
import { openEventStore } from '@reeltime/eventstore';
import { createReadModelPool } from './core/db.ts';
import { ProjectorMetrics } from './observability/metrics.ts';
import { projections } from './projections.ts';
import { rebuild } from './replay/rebuild.ts';
import { EventTally } from './runner/lag.ts';
import { LivePublisher } from './runner/live.ts';
import { projectorSettings } from './settings.ts';
import { argumentsOrExit, settingsOrExit, startedOrExit } from '@reeltime/platform/config';

const { values } = argumentsOrExit('npm run replay', () => parseArgs({ options: { projection: { type: 'string', multiple: true } } }));
const names = values.projection?.flatMap((value) => value.split(',')) ?? projections.map((p) => p.name);
const unknown = names.filter((name) => !projections.some((p) => p.name === name));
if (unknown.length > 0) {
  process.stderr.write(`unknown projection(s): ${unknown.join(', ')}; known: ${projections.map((p) => p.name).join(', ')}\n`);
  process.exit(2);
}

const settings = settingsOrExit(() => projectorSettings(process.env, { replay: true }));
const log = pino({ name: 'projector-replay', level: settings.logLevel }, pino.destination(2));
const store = await startedOrExit('npm run replay', () =>
  openEventStore(settings.store, (error) => log.warn({ err: error }, 'event store error')),
);
const pool = createReadModelPool(settings.databaseUrl);
const live = new LivePublisher(settings.natsUrl, settings.subjectPrefix, log);
live.start();

const abort = new AbortController();
process.once('SIGINT', () => abort.abort());
process.once('SIGTERM', () => abort.abort());

// Counted by the store (tokens are opaque here); over a long log, its estimate.
const total = Math.max(1, (await store.countEvents(store.startPosition, await store.headPosition())).count);
/** How often a bar's position is counted again (each count reads the events since the last one). */
const COUNT_EVERY_MS = 1000;
const bars = new cliProgress.MultiBar(
  {
    format: '{projection} [{bar}] {percentage}% | {value}/{total} | {speed} events/s | ETA {eta_formatted} | {state}',
    hideCursor: true,
    clearOnComplete: false,
    etaBuffer: 50,
  },
  cliProgress.Presets.shades_classic,
);
type Bar = {
  bar: cliProgress.SingleBar;
  started: number;
  lastAt: number;
  speed: number;
  tally: EventTally;
  value: number;
  countedAt: number;
};
const perProjection = new Map<string, Bar>();
/** Counts the events up to the runner's checkpoint in the background, one count at a time per bar. */
const recount = (entry: Bar, checkpoint: string) => {
  entry.countedAt = Number.POSITIVE_INFINITY;
  entry.tally
    .advanceTo(checkpoint)
    .then((counted) => (entry.value = counted.count))
    .catch((error: unknown) => log.warn({ err: error }, 'counting events for the progress bar'))
    .finally(() => (entry.countedAt = performance.now()));
};

const results = await rebuild({
  projections: projections.filter((p) => names.includes(p.name)),
  pool,
  store,
  settings,
  live,
  metrics: new ProjectorMetrics(false),
  log,
  signal: abort.signal,
  progressMs: 250,
  onProgress: (runners) => {
    for (const runner of runners) {
      let entry = perProjection.get(runner.name);
      if (entry === undefined) {
        const bar = bars.create(total, 0, { projection: runner.name.padEnd(9), speed: 0, state: 'waiting' });
        entry = {
          bar,
          started: performance.now(),
          lastAt: performance.now(),
          speed: 0,
          tally: new EventTally(store),
          value: 0,
          countedAt: 0,
        };
        perProjection.set(runner.name, entry);
      }
      const now = performance.now();
      if (now - entry.countedAt >= COUNT_EVERY_MS) recount(entry, runner.checkpoint);
      const value = entry.value;
      if (now - entry.lastAt >= 1000) {
        entry.speed = Math.round((runner.eventsApplied / (now - entry.started)) * 1000);
        entry.lastAt = now;
      }
      const state = runner.mode === 'serving' ? 'swapped in' : runner.active ? 'building' : 'waiting for lease';
      entry.bar.setTotal(Math.max(total, value));
      entry.bar.update(runner.mode === 'serving' ? Math.max(total, value) : value, {
        projection: runner.name.padEnd(9),
        speed: entry.speed,
        state,
      });
    }
  },
});
bars.stop();
for (const result of results) {
  process.stdout.write(
    `${result.projection}: ${result.outcome} (${result.schema}), ${result.events} events in ${result.seconds.toFixed(1)} s` +
      ` (${Math.round(result.events / Math.max(result.seconds, 0.001))} events/s)\n`,
  );
}
await live.close();
await pool.end();
await store.close();
process.exit(results.every((r) => r.outcome === 'swapped') ? 0 : 1);
