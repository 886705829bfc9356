/**
 * The rows of one read-model table that a batch touches, held in memory while the batch's
 * events are applied. Seeded from the database with every key the batch may read, so a
 * handler never does I/O; at the end `changes()` is the net effect to write back.
 * Rows are treated as immutable values: a change replaces the row object, which makes
 * "changed" a reference comparison.
 */
export class Table<Row> {
  readonly #original = new Map<string, Row | undefined>();
  readonly #current = new Map<string, Row | undefined>();
  /**
   * Keys that held a row of each group at some point (see `inGroup`), repeats included: an
   * array push is much cheaper than a set insert, and handlers walk groups rarely.
   */
  readonly #groups = new Map<string, string[]>();

  /**
   * `groupOf` names the one column handlers walk rows by (a list's items, a user's ratings):
   * `inGroup` then finds them without scanning the batch's every row.
   */
  /**
   * `complete`: the table starts empty in the database as well (a fresh build loading in
   * bulk), so a key never seen has no row rather than being a key the loader missed.
   */
  constructor(
    readonly name: string,
    private readonly keyOf: (row: Row) => string,
    private readonly groupOf?: (row: Row) => string,
    private readonly complete = false,
  ) {}

  /** Keys held (loaded or written). */
  get size(): number {
    return this.#current.size;
  }

  #group(key: string, row: Row | undefined): void {
    if (row === undefined || this.groupOf === undefined) return;
    const group = this.groupOf(row);
    const keys = this.#groups.get(group);
    if (keys === undefined) this.#groups.set(group, [key]);
    else keys.push(key);
  }

  /** Records what the database holds for `key` (undefined = no row). */
  seed(key: string, row: Row | undefined): void {
    if (this.#original.has(key)) return;
    this.#original.set(key, row);
    this.#current.set(key, row);
    this.#group(key, row);
  }

  seedRows(rows: Iterable<Row>): void {
    for (const row of rows) this.seed(this.keyOf(row), row);
  }

  /** Seeds every key the loader asked for but did not find. */
  seedMissing(keys: Iterable<string>): void {
    for (const key of keys) this.seed(key, undefined);
  }

  get(key: string): Row | undefined {
    const row = this.#current.get(key);
    if (row === undefined && !this.complete && !this.#current.has(key)) {
      // A key the loader did not fetch: the handler would act on a guess, not on the database.
      throw new Error(`${this.name}: key ${JSON.stringify(key)} was not loaded for this batch`);
    }
    return row;
  }

  put(row: Row): void {
    const key = this.keyOf(row);
    const before = this.#current.get(key);
    this.#current.set(key, row);
    // Most writes change a row in place: its key is in its group already.
    if (before === undefined || this.groupOf === undefined || this.groupOf(before) !== this.groupOf(row)) this.#group(key, row);
  }

  delete(key: string): void {
    this.get(key);
    this.#current.set(key, undefined);
  }

  /** Current rows matching `predicate` (only among loaded or written keys). */
  *where(predicate: (row: Row) => boolean): Generator<Row> {
    for (const row of this.#current.values()) if (row !== undefined && predicate(row)) yield row;
  }

  /** The keys whose row changed, with the row now (undefined = deleted): what a cache must follow. */
  *changedEntries(): Generator<[string, Row | undefined]> {
    for (const [key, row] of this.#current) if (row !== this.#original.get(key)) yield [key, row];
  }

  /** Current rows whose group column is `group` (a snapshot: handlers may change them while walking). */
  inGroup(group: string): Row[] {
    const groupOf = this.groupOf;
    if (groupOf === undefined) throw new Error(`${this.name} has no group column`);
    const rows: Row[] = [];
    const seen = new Set<string>();
    for (const key of this.#groups.get(group) ?? []) {
      if (seen.has(key)) continue;
      seen.add(key);
      const row = this.#current.get(key);
      if (row !== undefined && groupOf(row) === group) rows.push(row);
    }
    return rows;
  }

  changes(): { upserts: Row[]; deletes: Row[] } {
    const upserts: Row[] = [];
    const deletes: Row[] = [];
    for (const [key, row] of this.#current) {
      const before = this.#original.get(key);
      if (row === before) continue;
      if (row === undefined) {
        if (before !== undefined) deletes.push(before);
      } else {
        upserts.push(row);
      }
    }
    return { upserts, deletes };
  }
}
