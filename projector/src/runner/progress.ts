import type pg from 'pg';
import type { Logger } from 'pino';
import type { EventStore, Position } from '@reeltime/eventstore';
import type { Status } from '../core/registry.ts';
import type { Projection, WorkingSet } from '../model/projection.ts';
import type { ProjectorMetrics } from '../observability/metrics.ts';
import type { ProjectorSettings } from '../settings.ts';
import { firstCatchUpSize } from './catch-up-size.ts';
import type { LiveSink } from './live.ts';
import { noPhaseTimes, type PhaseTimes } from './phases.ts';

export type RunnerDeps = {
  projection: Projection;
  /** The generation (version schema) this runner projects into. */
  schema: string;
  settings: ProjectorSettings;
  store: EventStore;
  live: LiveSink;
  metrics: ProjectorMetrics;
  log: Logger;
  /** Return once this generation has been swapped in (the replay command) instead of serving on. */
  stopWhenServing?: boolean;
};

export type RunnerOutcome = 'stopped' | 'retired' | 'swapped';

export const STALL_AFTER_MS = 30_000;

/**
 * Where a runner's generation stands. Outlives each lease: the supervisor, the replay command
 * and the metrics read it, and every lease's work moves it on.
 */
export class RunnerProgress {
  active = false;
  mode: Status = 'building';
  checkpoint: Position;
  /** Last event actually applied (the checkpoint may lie past it, after filtered events). */
  lastEvent: Position;
  eventsApplied = 0;
  consecutiveErrors = 0;
  lagEvents = 0;
  readonly phases: PhaseTimes = noPhaseTimes();
  /** When the checkpoint last moved (or a lease began). */
  progressAt = performance.now();
  lastSwapAttempt = 0;
  /** Batches that held notices back, so that the served ones are pruned every so often. */
  batchesHeldBack = 0;
  /** Size of the next catch-up batch: adapted so that each transaction takes about rebuildTransactionMs. */
  catchUpSize: number;

  constructor(protected readonly deps: RunnerDeps) {
    this.checkpoint = deps.store.startPosition;
    this.lastEvent = deps.store.startPosition;
    this.catchUpSize = firstCatchUpSize(deps.settings);
  }

  get name(): string {
    return this.deps.projection.name;
  }

  get schema(): string {
    return this.deps.schema;
  }

  /** Behind the store with no progress for a while, or failing batch after batch. */
  get stalled(): boolean {
    if (!this.active) return false;
    if (this.consecutiveErrors >= 3) return true;
    return this.lagEvents > 0 && performance.now() - this.progressAt > STALL_AFTER_MS;
  }

  setActive(active: boolean): void {
    this.active = active;
    for (const mode of ['serving', 'building'] as const) {
      this.deps.metrics.active.set({ projection: this.name, mode }, active && this.mode === mode ? 1 : 0);
    }
  }
}

/** What one lease's work shares: the runner's progress, the lease's own connection and its working set. */
export type Lease = {
  readonly deps: RunnerDeps;
  readonly runner: RunnerProgress;
  readonly client: pg.Client;
  /** A second connection of the runner's own (the bulk load writes on two). */
  readonly connect: () => Promise<pg.Client>;
  /** Whether an event is recent enough for its notices to be kept. */
  readonly recent: (occurredAt: string) => boolean;
  /** Only while building under this lease (see WorkingSet); dropped on any failure. */
  workingSet: WorkingSet<unknown> | undefined;
  /** Undefined = not checked yet under this lease. */
  indexesPending: boolean | undefined;
};
