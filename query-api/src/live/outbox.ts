import type { LiveServerMessage } from '@reeltime/schemas';

/** The parts of a `ws` WebSocket a session uses. */
export interface LiveSocket {
  readonly readyState: number;
  readonly bufferedAmount: number;
  send(data: string): void;
  ping(): void;
  close(code?: number, reason?: string): void;
  terminate(): void;
}

export type SessionLimits = {
  /** Bytes waiting in the socket (ours and the kernel's) before a client counts as too slow. */
  maxBufferedBytes: number;
  /** Updates held per socket while a backfill runs. */
  maxBufferedUpdates: number;
  /** Rows one backfill sends at most; beyond that the client is told to refetch. */
  maxBackfill: number;
  /** Client messages queued behind a running subscribe. */
  maxPending: number;
};

export const DEFAULT_LIMITS: SessionLimits = { maxBufferedBytes: 1 << 20, maxBufferedUpdates: 5000, maxBackfill: 5000, maxPending: 16 };

const OPEN = 1;

/**
 * Flow control of one socket: frames go out only while the client keeps reading; a client
 * that does not read is cut off, never allowed to grow our memory.
 */
export class Outbox {
  #closed = false;

  constructor(
    private readonly socket: LiveSocket,
    private readonly maxBufferedBytes: number,
    /** Called once when the socket is cut off for being slow. */
    private readonly onCutOff: () => void,
  ) {}

  get open(): boolean {
    return !this.#closed && this.socket.readyState === OPEN;
  }

  /** No more frames (the socket closed, or was cut off). */
  close(): void {
    this.#closed = true;
  }

  send(text: string): void {
    if (!this.open) return;
    if (this.socket.bufferedAmount > this.maxBufferedBytes) return this.cutOff();
    this.socket.send(text);
  }

  cutOff(): void {
    if (this.#closed) return;
    const message: LiveServerMessage = {
      type: 'error',
      code: 'slow_consumer',
      message: 'You are not reading fast enough; reconnect with `since` to catch up.',
    };
    this.socket.send(JSON.stringify(message));
    this.onCutOff();
    this.#closed = true;
    this.socket.close(4008, 'slow consumer');
    // The close handshake needs the client to read too; do not wait for it for long.
    setTimeout(() => this.socket.terminate(), 1000).unref();
  }
}
