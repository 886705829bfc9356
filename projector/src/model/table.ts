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

  constructor(
    readonly name: string,
    private readonly keyOf: (row: Row) => string,
  ) {}

  /** Records what the database holds for `key` (undefined = no row). */
  seed(key: string, row: Row | undefined): void {
    if (this.#original.has(key)) return;
    this.#original.set(key, row);
    this.#current.set(key, row);
  }

  seedRows(rows: Iterable<Row>): void {
    for (const row of rows) this.seed(this.keyOf(row), row);
  }

  /** Seeds every key the loader asked for but did not find. */
  seedMissing(keys: Iterable<string>): void {
    for (const key of keys) this.seed(key, undefined);
  }

  get(key: string): Row | undefined {
    if (!this.#current.has(key)) {
      // A key the loader did not fetch: the handler would act on a guess, not on the database.
      throw new Error(`${this.name}: key ${JSON.stringify(key)} was not loaded for this batch`);
    }
    return this.#current.get(key);
  }

  put(row: Row): void {
    this.#current.set(this.keyOf(row), row);
  }

  delete(key: string): void {
    this.get(key);
    this.#current.set(key, undefined);
  }

  /** Current rows matching `predicate` (only among loaded or written keys). */
  *where(predicate: (row: Row) => boolean): Generator<Row> {
    for (const row of this.#current.values()) if (row !== undefined && predicate(row)) yield row;
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
