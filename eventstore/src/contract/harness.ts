import type { AppendOptions, AppendResult, EventStore, NewEvent } from '../port.ts';

/** What the contract suite needs from each adapter's test setup. */
export type ContractHarness = {
  store: EventStore;
  /**
   * Only where the adapter has client-visible transactions (PostgreSQL): append inside a
   * transaction that stays open for `holdMs`, then commits or rolls back. The torture test uses
   * it to commit events out of sequence order; without it, writers append normally and
   * "rolled back" appends are ones refused for a wrong expected version.
   */
  appendHeldOpen?: (
    stream: string,
    events: readonly NewEvent[],
    options: AppendOptions,
    hold: { holdMs: number; rollback: boolean },
  ) => Promise<AppendResult | 'rolled_back'>;
  /** Closes the store and drops whatever the setup created. */
  cleanup(): Promise<void>;
};

export type ContractSetup = () => Promise<ContractHarness>;
