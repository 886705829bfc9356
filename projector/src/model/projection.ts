import type pg from 'pg';
import type { EventStore, Position, RecordedEvent } from '@reeltime/eventstore';
import type { ProjectorSettings } from '../settings.ts';
import type { EventType } from '@reeltime/schemas';
import type { Notice, Notices } from './notices.ts';
import type { Queryable, TableSpec } from './sql.ts';

/**
 * Every row `load` could ever read, kept in memory by the lease holder of a building
 * generation: only it writes those tables, so after each commit the working set equals the
 * database and a batch needs no reads at all. It follows commits only (`commit` after COMMIT);
 * any failure throws the whole working set away and the next lease warms a new one.
 */
export type WorkingSet<State> = {
  /**
   * Reads every row of the generation; false (keeping nothing) when there are more than
   * `maxRows`. A resident projection's working set replays `source` up to its checkpoint instead.
   */
  warm(db: Queryable, schema: string, maxRows: number, source?: { store: EventStore; checkpoint: Position }): Promise<boolean>;
  /** What `load` would return for these events, without I/O. */
  load(events: readonly RecordedEvent[]): Promise<State>;
  /** Folds a committed batch's net changes in. */
  commit(state: State): void;
  /** Rows held (the memory bound is checked against it). */
  readonly rows: number;
  /**
   * Background work between batches, called when no batch is waiting: the changes to write
   * (in a transaction of their own that leaves the checkpoint where it is), or undefined.
   * A building generation passes `stepMs`, its catch-up batch time: no reader waits behind a
   * build, so longer steps (fewer transactions) are cheaper; a serving one passes nothing. A
   * long step lets the event loop turn now and then (the previous step's write goes on meanwhile).
   */
  upkeep?(stepMs?: number): Promise<{ state: State; notices: Notice[] } | undefined>;
  /** True while upkeep still owes work that a build must finish before it may swap. */
  pending?(): boolean;
};

/** What a working set may need besides the database. */
export type WorkingSetContext = { settings: ProjectorSettings };

/** One table's rows for a bulk load. */
export type BulkRows = { spec: TableSpec<never>; rows: readonly unknown[] };

/**
 * How a fresh build (tables still empty) projects in bulk: every event up to the head applied
 * to one in-memory state, whose rows are then copied in once, instead of batch by batch
 * rewriting the same hot rows (a title's counters, a list's item count) again and again.
 */
export type BulkLoad<State> = {
  /** Every table a load writes (`rows` and `drain`): a load emptied them first. */
  readonly tables: readonly string[];
  /** A state over empty tables: a row never written does not exist. */
  empty(): State;
  /** Rows held (checked against the working-set bound). */
  size(state: State): number;
  /** Every table's rows, to be inserted into the empty tables. */
  rows(state: State): BulkRows[];
  /**
   * Takes out of the state what can be written while the load goes on (rows that are only
   * appended, such as the feed), so that Postgres works while this process applies. The
   * returned write runs in its own transaction, after every earlier one.
   */
  drain?(state: State): (db: pg.ClientBase, schema: string) => Promise<void>;
};

/**
 * A named, versioned projection. Per batch the runner calls `load` (reads every row the
 * batch's events may touch), then `apply` for each event (no I/O: it changes the in-memory
 * state and records notices), then `flush` (writes the net changes with set-based SQL),
 * all in the transaction that moves the checkpoint.
 */
export type Projection<State = unknown> = {
  readonly name: string;
  /** Bump when the read model's shape or meaning changes: start-up then rebuilds it blue/green. */
  readonly version: number;
  readonly eventTypes: readonly EventType[];
  /** Folder of `NNN_name.sql` files creating the tables in the version's own schema. */
  readonly migrations: string;
  /** `read.<view>` → its query, `{schema}` standing for the version's schema. */
  readonly views: Readonly<Record<string, string>>;
  /** Fills tables that do not come from events (e.g. the genre list), once per new schema. */
  seed?(db: Queryable, schema: string): Promise<void>;
  /**
   * Secondary indexes (names in the version's schema) that a fresh build creates only once it
   * has caught up, right before its swap, instead of maintaining them row by row. None of the
   * projector's own statements may need them.
   */
  readonly deferredIndexes?: readonly string[];
  /** A fresh build's bulk load (see BulkLoad); without it a fresh build goes batch by batch. */
  readonly bulk?: BulkLoad<State>;
  /** An in-memory working set for a lease holder that is catching up (see WorkingSet). */
  workingSet?(context?: WorkingSetContext): WorkingSet<State>;
  /**
   * The working set is the projection's whole state (a fold of every event, warmed by
   * replaying the store), used while serving too, whatever its size: `load` is never called.
   */
  readonly resident?: boolean;
  load(db: Queryable, schema: string, events: readonly RecordedEvent[]): Promise<State>;
  apply(state: State, event: RecordedEvent, notices: Notices): void;
  /**
   * Work owed once per batch rather than once per event, after the batch's last `apply` (the
   * recommendations re-score each user a batch touched once, not once per rating).
   */
  settle?(state: State, notices: Notices): void;
  flush(db: Queryable, schema: string, state: State): Promise<void>;
  /**
   * Where a worker thread loads this projection from (a module and the name of its export): the
   * projector runs its runner there, so that CPU-heavy batches (the recommendations' scoring)
   * never hold up another projection's batches on the main event loop.
   */
  readonly ownThread?: { readonly module: string; readonly exportName: string };
  /**
   * While serving, a batch of this projection collects events for this long (ms) instead of
   * closing after PROJECTOR_BATCH_MS or once none arrived for PROJECTOR_BATCH_LINGER_MS. Every
   * transaction that writes holds back the PostgreSQL store's visibility horizon for all of its
   * readers until it commits, so a projection whose commits are heavy (the recommendations'
   * lists) and need not be instant commits a few times a second rather than after every burst.
   */
  readonly liveBatchMs?: number;
  /**
   * True when `flush` only writes (no statement depends on an earlier one's result): a build
   * then prepares the statements before its transaction and the transaction only sends them.
   */
  readonly flushOnlyWrites?: boolean;
};
