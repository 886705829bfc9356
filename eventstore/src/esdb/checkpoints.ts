import type { Position } from '../port.ts';
import { comparePositions } from '../positions.ts';

/**
 * The subscription's two positions:
 * - `lastTaken`: the last event taken off the client stream (or `from`). Anything at or before
 *   it is a redelivery (the server's "after" is inclusive on some paths, and a resubscription
 *   starts from here), so it is dropped.
 * - `checkpoint`: what a consumer may save. It follows taken events, and jumps ahead to the
 *   server's filter checkpoints, but only once every event the client buffered before such a
 *   checkpoint has been taken: the client calls back while earlier events still sit in its
 *   buffer, and saving a position past an event not yet handled would lose that event.
 */
export class CheckpointTracker {
  #checkpoint: Position;
  #lastTaken: Position;
  #pending: Position | undefined;

  constructor(from: Position) {
    this.#checkpoint = from;
    this.#lastTaken = from;
  }

  get checkpoint(): Position {
    return this.#checkpoint;
  }

  get lastTaken(): Position {
    return this.#lastTaken;
  }

  isRedelivery(position: Position): boolean {
    return comparePositions(position, this.#lastTaken) <= 0;
  }

  /**
   * An event taken off the stream, in order. The checkpoint is set rather than maxed: a filter
   * checkpoint beyond an event that still arrives was wrong (a known server bug in some
   * versions), and falling back to the event keeps the saved position safe.
   */
  taken(position: Position): void {
    this.#lastTaken = position;
    this.#checkpoint = position;
  }

  /** The server scanned up to `position` (inclusive) without more matches. */
  reached(position: Position): void {
    if (this.#pending === undefined || comparePositions(position, this.#pending) > 0) this.#pending = position;
  }

  /** Call only when everything the client pushed so far has been taken and handled. */
  settle(): void {
    if (this.#pending === undefined) return;
    if (comparePositions(this.#pending, this.#checkpoint) > 0) this.#checkpoint = this.#pending;
    this.#pending = undefined;
  }

  /** A new client stream starts: checkpoints reported by the old one no longer apply. */
  dropPending(): void {
    this.#pending = undefined;
  }
}
