import { clipText, MAX_UNMATCHED_KEPT, type UnmatchedRow } from '@reeltime/schemas';
import type { ImportRow } from './rows.ts';

export type RowOutcome = 'imported' | 'present' | { reason: string };

export type Counters = { matched: number; imported: number; alreadyPresent: number; unmatchedCount: number };

const TEXT_LIMIT = 500;
const REASON_LIMIT = 300;

/**
 * Where every row of an import stands. A row may have several effects (a diary row is a watch
 * and a rating); it counts once all are settled: imported when any added something, already
 * present when none did, unmatched (with the reason) when one was refused and none added.
 */
export class ImportProgress {
  readonly #rows: readonly ImportRow[];
  readonly #pending: Int32Array;
  readonly #outcome: (RowOutcome | undefined)[];
  readonly #newUnmatched: UnmatchedRow[] = [];
  #kept = 0;
  readonly counters: Counters = { matched: 0, imported: 0, alreadyPresent: 0, unmatchedCount: 0 };

  constructor(rows: readonly ImportRow[]) {
    this.#rows = rows;
    this.#pending = new Int32Array(rows.length);
    this.#outcome = new Array(rows.length).fill(undefined);
  }

  /** The row will be settled by one more effect. */
  expect(row: number): void {
    this.#pending[row]!++;
  }

  /** The row is not imported, whatever its other effects do. */
  unmatched(row: number, reason: string): void {
    this.#finish(row, { reason });
  }

  settle(row: number, outcome: RowOutcome): void {
    const before = this.#outcome[row];
    if (before === 'imported' || outcome === 'imported') this.#outcome[row] = 'imported';
    else if (before === undefined || before === 'present') this.#outcome[row] = outcome;
    if (--this.#pending[row]! === 0) this.#finish(row, this.#outcome[row]!);
  }

  /** Rows with no effects at all (planned but empty) count as already present. */
  settleIdle(): void {
    for (let row = 0; row < this.#rows.length; row++) {
      if (this.#pending[row] === 0 && this.#outcome[row] === undefined) this.#finish(row, 'present');
    }
  }

  /** Unmatched rows noted since the last call (at most MAX_UNMATCHED_KEPT over the whole import). */
  takeUnmatched(): UnmatchedRow[] {
    return this.#newUnmatched.splice(0);
  }

  #finish(row: number, outcome: RowOutcome): void {
    this.#outcome[row] = outcome;
    this.#pending[row] = -1;
    if (outcome === 'imported') {
      this.counters.imported++;
      this.counters.matched++;
    } else if (outcome === 'present') {
      this.counters.alreadyPresent++;
      this.counters.matched++;
    } else {
      this.counters.unmatchedCount++;
      if (this.#kept < MAX_UNMATCHED_KEPT) {
        this.#kept++;
        const { file, line, text } = this.#rows[row]!;
        this.#newUnmatched.push({
          file: clipText(file, 300),
          line,
          text: clipText(text, TEXT_LIMIT),
          reason: clipText(outcome.reason, REASON_LIMIT),
        });
      }
    }
  }
}
