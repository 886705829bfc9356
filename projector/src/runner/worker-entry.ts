/*
 * A worker thread running one projection's runner (see WorkerRunner, its main-thread side).
 * Everything but the work itself goes to the main thread: notices, metrics, progress, log lines.
 */
import { parentPort, workerData } from 'node:worker_threads';
import pino from 'pino';
import { openEventStore } from '@reeltime/eventstore';
import { loggerOptions } from '@reeltime/platform/logger';
import type { Projection } from '../model/projection.ts';
import { ProjectionRunner } from './runner.ts';
import { relayedMetrics, type FromWorker, type ToWorker, type WorkerStart } from './worker-runner.ts';

/** How often progress goes to the main thread (its health check and the supervisor read it). */
const REPORT_MS = 250;

const port = parentPort!;
const start = workerData as WorkerStart;
const stop = new AbortController();
// Listening before anything else: a stop sent while the worker still loads waits in the port's queue.
port.on('message', (message: ToWorker) => {
  if (message.type === 'stop') stop.abort();
});
const send = (message: FromWorker) => port.postMessage(message);

const log = pino(loggerOptions('projector', start.logLevel), { write: (line: string) => send({ type: 'log', line }) });
const projection = ((await import(start.module)) as Record<string, Projection | undefined>)[start.exportName];
if (projection === undefined) throw new Error(`${start.module} exports no ${start.exportName}`);
const { settings, schema } = start;
// Its own pool, kept small: the runner reads the store one page at a time.
const store = await openEventStore({ ...settings.store, poolSize: Math.min(settings.store.poolSize, 2) }, (error) =>
  log.warn({ err: error }, 'event store error'),
);
const runner = new ProjectionRunner({
  projection,
  schema,
  settings,
  store,
  live: {
    publish: (updates) => send({ type: 'publish', updates: [...updates] }),
    publishPosition: (name, version, position) => send({ type: 'position', projection: name, version, position }),
  },
  metrics: relayedMetrics(send),
  log,
});
const report = () =>
  send({
    type: 'progress',
    progress: {
      active: runner.active,
      mode: runner.mode,
      checkpoint: runner.checkpoint,
      stalled: runner.stalled,
      eventsApplied: runner.eventsApplied,
    },
  });
const reporting = setInterval(report, REPORT_MS);
let outcome;
try {
  outcome = await runner.run(stop.signal);
} finally {
  clearInterval(reporting);
  await store.close().catch((error: unknown) => log.warn({ err: error }, 'closing the event store failed'));
}
report();
send({ type: 'done', outcome });
