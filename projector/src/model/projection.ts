import type { RecordedEvent } from '@reeltime/eventstore';
import type { EventType } from '@reeltime/schemas';
import type { Notices } from './notices.ts';
import type { Queryable } from './sql.ts';

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
  load(db: Queryable, schema: string, events: readonly RecordedEvent[]): Promise<State>;
  apply(state: State, event: RecordedEvent, notices: Notices): void;
  flush(db: Queryable, schema: string, state: State): Promise<void>;
};
