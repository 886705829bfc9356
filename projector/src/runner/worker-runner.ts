import type { Logger } from 'pino';
import type { Position } from '@reeltime/eventstore';
import type { Status } from '../core/registry.ts';
import { tsWorker } from '../core/ts-worker.ts';
import type { Projection } from '../model/projection.ts';
import type { ProjectorMetrics } from '../observability/metrics.ts';
import type { ProjectorSettings } from '../settings.ts';
import type { LiveSink, LiveUpdate } from './live.ts';
import { STALL_AFTER_MS, type RunnerOutcome } from './progress.ts';

/** What the supervisor, the health check and the metrics read of a runner, wherever it runs. */
export type SupervisedRunner = {
  readonly name: string;
  readonly schema: string;
  readonly active: boolean;
  readonly mode: Status;
  readonly checkpoint: Position;
  readonly stalled: boolean;
  run(signal: AbortSignal): Promise<RunnerOutcome>;
};

/** A runner's progress as its worker reports it. */
export type WorkerProgress = Pick<SupervisedRunner, 'active' | 'mode' | 'checkpoint' | 'stalled'> & { eventsApplied: number };

/** What the worker needs to start (structured-cloned, so data only: the projection is loaded there by name). */
export type WorkerStart = { module: string; exportName: string; schema: string; settings: ProjectorSettings; logLevel: string };

export type MetricCall = { type: 'metric'; metric: string; op: 'inc' | 'set' | 'observe'; args: unknown[] };

export type FromWorker =
  | { type: 'progress'; progress: WorkerProgress }
  | MetricCall
  | { type: 'publish'; updates: LiveUpdate[] }
  | { type: 'position'; projection: string; version: number; position: string }
  | { type: 'log'; line: string }
  | { type: 'done'; outcome: RunnerOutcome };

export type ToWorker = { type: 'stop' };

export type WorkerRunnerDeps = {
  /** One with `ownThread`. */
  projection: Projection;
  schema: string;
  settings: ProjectorSettings;
  live: LiveSink;
  metrics: ProjectorMetrics;
  log: Logger;
};

const ENTRY = new URL('./worker-entry.ts', import.meta.url);

/**
 * Stands on the main thread for a ProjectionRunner that runs in a worker thread of its own
 * (`worker-entry.ts`): the worker has its own event store connections and runner connections,
 * and hands its notices, metrics, progress and log lines to this thread, whose publisher,
 * registry and logger are the process's. A stop lets the worker finish its batch; a worker
 * that dies (an uncaught error, out of memory) rejects `run`, which the supervisor logs, and
 * its next round starts a new one.
 */
export class WorkerRunner implements SupervisedRunner {
  #progress: WorkerProgress;
  #running = false;
  #reportedAt = performance.now();

  constructor(private readonly deps: WorkerRunnerDeps) {
    this.#progress = { active: false, mode: 'building', checkpoint: '', stalled: false, eventsApplied: 0 };
  }

  get name(): string {
    return this.deps.projection.name;
  }

  get schema(): string {
    return this.deps.schema;
  }

  get active(): boolean {
    return this.#progress.active;
  }

  get mode(): Status {
    return this.#progress.mode;
  }

  get checkpoint(): Position {
    return this.#progress.checkpoint;
  }

  get eventsApplied(): number {
    return this.#progress.eventsApplied;
  }

  /** As the worker judges it, or silent for as long as a runner may go without progress (a worker stuck in a loop). */
  get stalled(): boolean {
    return this.#progress.stalled || (this.#running && performance.now() - this.#reportedAt > STALL_AFTER_MS);
  }

  run(signal: AbortSignal): Promise<RunnerOutcome> {
    const { projection, schema, settings, log } = this.deps;
    if (projection.ownThread === undefined) throw new Error(`${projection.name} does not say where a worker thread loads it from`);
    const start: WorkerStart = { ...projection.ownThread, schema, settings, logLevel: log.level };
    const worker = tsWorker(ENTRY, { workerData: start, name: `projector: ${projection.name}` });
    this.#running = true;
    this.#reportedAt = performance.now();
    return new Promise<RunnerOutcome>((resolve, reject) => {
      let outcome: RunnerOutcome | undefined;
      let failure: unknown;
      const stop = () => worker.postMessage({ type: 'stop' } satisfies ToWorker);
      signal.addEventListener('abort', stop, { once: true });
      worker.on('message', (message: FromWorker) => {
        if (message.type !== 'done') return this.#receive(message);
        outcome = message.outcome;
        // Its connections are closed: nothing is left to finish.
        void worker.terminate();
      });
      worker.on('error', (error) => (failure ??= error));
      worker.once('exit', (code) => {
        signal.removeEventListener('abort', stop);
        this.#running = false;
        this.#inactive();
        if (outcome !== undefined) resolve(outcome);
        else reject(failure ?? new Error(`the ${projection.name} worker thread exited with code ${code}`));
      });
    });
  }

  #receive(message: Exclude<FromWorker, { type: 'done' }>): void {
    const { live, log } = this.deps;
    switch (message.type) {
      case 'progress':
        this.#progress = message.progress;
        this.#reportedAt = performance.now();
        return;
      case 'metric':
        return applyMetric(this.deps.metrics, message);
      case 'publish':
        return live.publish(message.updates);
      case 'position':
        return live.publishPosition(message.projection, message.version, message.position);
      case 'log': {
        // The worker's pino line (formatted and redacted there), logged again through this process's logger.
        const {
          level,
          msg,
          time: _time,
          pid: _pid,
          hostname: _host,
          name: _name,
          ...fields
        } = JSON.parse(message.line) as Record<string, unknown>;
        const label = log.levels.labels[Number(level)] as 'info' | undefined;
        if (label !== undefined && typeof log[label] === 'function') log[label](fields, String(msg ?? ''));
        return;
      }
    }
  }

  /** A worker that ended holds no lease: its gauges say so, whatever it reported last. */
  #inactive(): void {
    this.#progress = { ...this.#progress, active: false, stalled: false };
    for (const mode of ['serving', 'building'] as const) this.deps.metrics.active.set({ projection: this.name, mode }, 0);
  }
}

type MetricMethods = Record<MetricCall['op'], ((...args: unknown[]) => void) | undefined>;

/** A worker's `metrics.<metric>.<op>(…)`, applied to this process's registry. */
function applyMetric(metrics: ProjectorMetrics, call: MetricCall): void {
  if (call.metric === 'registry' || !Object.hasOwn(metrics, call.metric))
    throw new Error(`a worker reported an unknown metric: ${call.metric}`);
  const metric = (metrics as unknown as Record<string, MetricMethods>)[call.metric]!;
  metric[call.op]!.apply(metric, call.args);
}

/** The worker's side of applyMetric: a ProjectorMetrics whose every `inc`, `set` and `observe` is posted. */
export function relayedMetrics(send: (call: MetricCall) => void): ProjectorMetrics {
  const metric = (name: string): MetricMethods => ({
    inc: (...args) => send({ type: 'metric', metric: name, op: 'inc', args }),
    set: (...args) => send({ type: 'metric', metric: name, op: 'set', args }),
    observe: (...args) => send({ type: 'metric', metric: name, op: 'observe', args }),
  });
  return new Proxy({}, { get: (_target, name) => metric(String(name)) }) as ProjectorMetrics;
}
