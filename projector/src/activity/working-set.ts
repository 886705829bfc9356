import type { RecordedEvent } from '@reeltime/eventstore';
import type { WorkingSet } from '../model/projection.ts';
import { ident, type Queryable, type TableSpec } from '../model/sql.ts';
import type { Table } from '../model/table.ts';
import { loadActivityFrom, type ActivitySource } from './load.ts';
import {
  specs,
  type DiaryRow,
  type ItemRow,
  type ListRow,
  type PreferencesRow,
  type RatingRow,
  type StatsRow,
  type UserRow,
} from './rows.ts';
import { pairKey, type ActivityState } from './state.ts';

/** One table's rows by key, optionally grouped by a column the loader asks by (user, owner, list). */
class Rows<Row> {
  readonly byKey = new Map<string, Row>();
  readonly #groups = new Map<string, Set<string>>();

  constructor(
    readonly keyOf: (row: Row) => string,
    private readonly groupOf?: (row: Row) => string,
  ) {}

  set(key: string, row: Row | undefined): void {
    const before = this.byKey.get(key);
    const groupOf = this.groupOf;
    if (groupOf !== undefined) {
      const from = before === undefined ? undefined : groupOf(before);
      const to = row === undefined ? undefined : groupOf(row);
      if (from !== to) {
        if (from !== undefined) {
          const members = this.#groups.get(from)!;
          members.delete(key);
          if (members.size === 0) this.#groups.delete(from);
        }
        if (to !== undefined) {
          let members = this.#groups.get(to);
          if (members === undefined) this.#groups.set(to, (members = new Set()));
          members.add(key);
        }
      }
    }
    if (row === undefined) this.byKey.delete(key);
    else this.byKey.set(key, row);
  }

  follow(table: Table<Row>): void {
    for (const [key, row] of table.changedEntries()) this.set(key, row);
  }

  byKeys(keys: Iterable<string>, out: Row[] = []): Row[] {
    for (const key of keys) {
      const row = this.byKey.get(key);
      if (row !== undefined) out.push(row);
    }
    return out;
  }

  /** Rows of these keys and of these groups, each once. */
  select(keys: Iterable<string>, groups: readonly string[]): Row[] {
    const rows = this.byKeys(keys);
    if (groups.length === 0) return rows;
    const seen = new Set(rows.map(this.keyOf));
    for (const group of groups) {
      for (const key of this.#groups.get(group) ?? []) {
        if (seen.has(key)) continue;
        seen.add(key);
        rows.push(this.byKey.get(key)!);
      }
    }
    return rows;
  }
}

/**
 * The activity read model in memory (every table `load` reads; the feed is write-only).
 * Memory grows with the rows, roughly 0.3–0.5 KB each: the runner's row bound caps it.
 */
export class ActivityWorkingSet implements WorkingSet<ActivityState> {
  readonly users = new Rows<UserRow>((row) => row.user_id);
  readonly stats = new Rows<StatsRow>((row) => row.title_id);
  readonly ratings = new Rows<RatingRow>(
    (row) => pairKey(row.user_id, row.title_id),
    (row) => row.user_id,
  );
  readonly lists = new Rows<ListRow>(
    (row) => row.list_id,
    (row) => row.owner_id,
  );
  readonly items = new Rows<ItemRow>(
    (row) => pairKey(row.list_id, row.title_id),
    (row) => row.list_id,
  );
  readonly diary = new Rows<DiaryRow>(
    (row) => row.entry_id,
    (row) => row.user_id,
  );
  readonly preferences = new Rows<PreferencesRow>((row) => row.user_id);

  readonly #source: ActivitySource = {
    users: async (ids) => this.users.byKeys(ids),
    ratings: async (pairs, users) => this.ratings.select(pairs.keys(), users),
    lists: async (ids, owners) => this.lists.select(ids, owners),
    items: async (pairs, lists) => this.items.select(pairs.keys(), lists),
    diary: async (ids, users) => this.diary.select(ids, users),
    preferences: async (users) => this.preferences.byKeys(users),
    stats: async (titles) => this.stats.byKeys(titles),
  };

  get rows(): number {
    return [this.users, this.stats, this.ratings, this.lists, this.items, this.diary, this.preferences].reduce(
      (sum, rows) => sum + rows.byKey.size,
      0,
    );
  }

  async warm(db: Queryable, schema: string, maxRows: number): Promise<boolean> {
    const s = ident(schema);
    const tables: [Rows<never>, TableSpec<never>][] = [
      [this.users, specs.users],
      [this.stats, specs.stats],
      [this.ratings, specs.ratings],
      [this.lists, specs.lists],
      [this.items, specs.items],
      [this.diary, specs.diary],
      [this.preferences, specs.preferences],
    ] as unknown as [Rows<never>, TableSpec<never>][];
    const { rows: counted } = await db.query<{ n: string }>(
      `SELECT (${tables.map(([, spec]) => `(SELECT count(*) FROM ${s}.${ident(spec.table)})`).join(' + ')})::text AS n`,
    );
    if (Number(counted[0]!.n) > maxRows) return false;
    for (const [rows, spec] of tables) {
      const { rows: stored } = await db.query(`SELECT ${spec.columns.map((c) => `"${c}"`).join(', ')} FROM ${s}.${ident(spec.table)}`);
      for (const row of stored as never[]) rows.set(rows.keyOf(row), row);
    }
    return true;
  }

  load(events: readonly RecordedEvent[]): Promise<ActivityState> {
    return loadActivityFrom(this.#source, events);
  }

  commit(state: ActivityState): void {
    this.users.follow(state.users);
    this.stats.follow(state.stats);
    this.ratings.follow(state.ratings);
    this.lists.follow(state.lists);
    this.items.follow(state.items);
    this.diary.follow(state.diary);
    this.preferences.follow(state.preferences);
  }
}
