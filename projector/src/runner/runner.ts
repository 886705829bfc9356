import { isDependencyUnavailable } from '@reeltime/platform';
import { backoffMs, ownConnection, sleep } from './connection.ts';
import { EventTally, measureLag } from './lag.ts';
import { lead } from './lead.ts';
import { acquireLease } from './lease.ts';
import { RunnerProgress, type Lease, type RunnerDeps, type RunnerOutcome } from './progress.ts';

/**
 * Runs one generation of a projection: takes its lease (or waits as a hot standby), then
 * applies batches, each in one transaction with a compare-and-set of the checkpoint, so a
 * batch applied twice (two instances, a retry after a lost commit reply) changes nothing.
 * A building generation tries to swap itself in whenever it has caught up.
 */
export class ProjectionRunner extends RunnerProgress {
  /** Events up to the checkpoint, for the position gauge. */
  readonly #tally: EventTally;

  constructor(deps: RunnerDeps) {
    super(deps);
    this.#tally = new EventTally(deps.store);
  }

  async run(signal: AbortSignal): Promise<RunnerOutcome> {
    const { settings, log } = this.deps;
    while (!signal.aborted) {
      // A lost connection also lost the lease (the advisory lock was the session's): the lead
      // ends at once and the loop reconnects, instead of finding out at the next batch.
      const connectionLost = new AbortController();
      const client = ownConnection(settings.databaseUrl, log, this.name, connectionLost);
      const leading = AbortSignal.any([signal, connectionLost.signal]);
      try {
        await client.connect();
        const leased = await acquireLease(client, `${settings.coreSchema}:${this.schema}`, settings.leaseRetryMs, leading);
        if (leased) {
          const outcome = await lead(this.#lease(client), leading, () => this.#measureLag());
          if (outcome !== 'stopped') return outcome;
        }
        if (connectionLost.signal.aborted) throw connectionLost.signal.reason;
      } catch (error) {
        this.consecutiveErrors++;
        this.deps.metrics.errors.inc({ projection: this.name });
        // An unreachable database is an outage to wait out, not a fault of this projection.
        const level = connectionLost.signal.aborted || isDependencyUnavailable(error) ? 'warn' : 'error';
        log[level]({ err: error, projection: this.name, schema: this.schema }, 'projection batch failed; retrying');
        await sleep(backoffMs(this.consecutiveErrors), signal);
      } finally {
        this.setActive(false);
        await client.end().catch(() => {});
      }
    }
    return 'stopped';
  }

  #lease(client: Lease['client']): Lease {
    const { settings, log } = this.deps;
    return {
      deps: this.deps,
      runner: this,
      client,
      connect: async () => {
        const second = ownConnection(settings.databaseUrl, log, this.name);
        await second.connect();
        return second;
      },
      recent: (occurredAt) => Date.parse(occurredAt) >= Date.now() - settings.retentionDays * 86_400_000,
      workingSet: undefined,
      indexesPending: undefined,
    };
  }

  async #measureLag(): Promise<void> {
    if (!this.active) return;
    const { store, metrics, projection } = this.deps;
    const checkpoint = this.checkpoint;
    const lag = await measureLag(store, checkpoint, projection.eventTypes);
    const position = await this.#tally.advanceTo(checkpoint);
    this.lagEvents = lag.events.count;
    metrics.lagEvents.set({ projection: this.name }, lag.events.count);
    metrics.lagSeconds.set({ projection: this.name }, lag.seconds);
    metrics.position.set({ projection: this.name }, position.count);
    metrics.lagEventsExact.set({ projection: this.name }, lag.events.exact ? 1 : 0);
  }
}
