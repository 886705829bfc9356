/*
 * What the drills send and watch: rating commands from a few users through command-api, each
 * retried with its Idempotency-Key after a 503 until it is acknowledged, and each user's `me`
 * channel on query-api's WebSocket, with the time every update arrived.
 */
import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import WebSocket from 'ws';

export type User = { userId: string; accessToken: string };

export type Ack = { user: number; titleId: string; score: number; position: string; ackedAt: number };

/** The first answer of every kind that is neither 200 nor 503 (a bug the drill reports). */
export type Unexpected = { status: number; body: string };

export type TrafficStats = {
  /** Distinct commands (idempotency keys) sent. */
  sent: number;
  /** HTTP requests, retries included. */
  requests: number;
  acknowledged: number;
  unavailable: number;
  unavailableWithoutRetryAfter: number;
  /** 409 request_in_progress: a retry that met its own earlier attempt's claim (documented, retried). */
  inProgress: number;
  unexpected: Unexpected[];
  /** Requests that got no answer within the per-request limit. */
  hangs: number;
};

const REQUEST_LIMIT_MS = 15_000;

/** Each user rates titles in turn, always with a new score, so every acknowledged command appends one event. */
export class RatingTraffic {
  readonly acks: Ack[] = [];
  /** When each 503 came back (ms since the epoch). */
  readonly unavailableAt: number[] = [];
  readonly stats: TrafficStats = {
    sent: 0,
    requests: 0,
    acknowledged: 0,
    unavailable: 0,
    unavailableWithoutRetryAfter: 0,
    inProgress: 0,
    unexpected: [],
    hangs: 0,
  };
  #running = false;
  #workers: Promise<void>[] = [];

  constructor(
    private readonly commandUrl: string,
    private readonly users: readonly User[],
    private readonly titles: readonly string[],
    private readonly pauseMs = 40,
  ) {}

  start(): void {
    this.#running = true;
    this.#workers = this.users.map((_, index) => this.#work(index));
  }

  /** No new commands; the ones in flight are retried until acknowledged. */
  async stop(): Promise<void> {
    this.#running = false;
    await Promise.all(this.#workers);
  }

  async #work(user: number): Promise<void> {
    const last = new Map<string, number>();
    for (let n = 0; this.#running; n++) {
      const titleId = this.titles[(user + n) % this.titles.length]!;
      const score = ((last.get(titleId) ?? user % 10) % 10) + 1;
      last.set(titleId, score);
      await this.#command(user, titleId, score);
      await sleep(this.pauseMs);
    }
  }

  async #command(user: number, titleId: string, score: number): Promise<void> {
    const key = randomUUID();
    this.stats.sent++;
    for (let attempt = 0; attempt < 200; attempt++) {
      this.stats.requests++;
      let response: Response;
      try {
        response = await fetch(`${this.commandUrl}/ratings/${titleId}`, {
          method: 'PUT',
          headers: { authorization: `Bearer ${this.users[user]!.accessToken}`, 'content-type': 'application/json', 'idempotency-key': key },
          body: JSON.stringify({ score }),
          signal: AbortSignal.timeout(REQUEST_LIMIT_MS),
        });
      } catch (error) {
        if ((error as Error).name === 'TimeoutError') this.stats.hangs++;
        else this.#unexpected(0, String(error));
        await sleep(200);
        continue;
      }
      const body = await response.text();
      if (response.status === 200) {
        this.stats.acknowledged++;
        this.acks.push({ user, titleId, score, position: (JSON.parse(body) as { position: string }).position, ackedAt: Date.now() });
        return;
      }
      if (response.status === 503) {
        this.stats.unavailable++;
        this.unavailableAt.push(Date.now());
        const retryAfter = Number(response.headers.get('retry-after'));
        if (!(retryAfter > 0)) this.stats.unavailableWithoutRetryAfter++;
        // Honoured, but capped: the drill wants to see the return of the service promptly.
        await sleep(Math.min(retryAfter > 0 ? retryAfter * 1000 : 1000, 300));
        continue;
      }
      if (response.status === 409 && body.includes('request_in_progress')) {
        this.stats.inProgress++;
        await sleep(Number(response.headers.get('retry-after') ?? 1) * 1000);
        continue;
      }
      this.#unexpected(response.status, body);
      return;
    }
  }

  #unexpected(status: number, body: string): void {
    if (this.stats.unexpected.length < 20) this.stats.unexpected.push({ status, body: body.slice(0, 300) });
    else this.stats.unexpected.push({ status, body: '' });
  }
}

export type Received = { position: string; at: number };

/** One user's socket on `me`: every `rating.changed` update with its arrival time. */
export class MeWatcher {
  readonly received: Received[] = [];
  readonly #socket: WebSocket;
  readonly subscribed: Promise<void>;

  constructor(liveUrl: string, user: User) {
    this.#socket = new WebSocket(liveUrl);
    this.subscribed = new Promise((resolve, reject) => {
      this.#socket.once('error', reject);
      this.#socket.once('open', () => {
        this.#socket.send(JSON.stringify({ type: 'auth', token: user.accessToken }));
        this.#socket.send(JSON.stringify({ type: 'subscribe', channels: ['me'] }));
      });
      this.#socket.on('message', (raw) => {
        const message = JSON.parse(String(raw)) as { type: string; position?: string; data?: { type?: string } };
        if (message.type === 'subscribed') resolve();
        if (message.type === 'update' && message.data?.type === 'rating.changed')
          this.received.push({ position: message.position!, at: Date.now() });
      });
    });
  }

  close(): void {
    this.#socket.close();
  }
}

/**
 * When each update of these channels became visible in the live-update log, polled every
 * 50 ms: the delivery path's own delay is `received - logged`, whatever the projector's lag.
 */
export class LogWatcher {
  readonly loggedAt = new Map<string, number>();
  #running = true;
  readonly #done: Promise<void>;

  constructor(read: (sql: string, values: unknown[]) => Promise<{ channel: string; position: string }[]>, channels: string[]) {
    this.#done = (async () => {
      let after = '';
      while (this.#running) {
        const rows = await read(
          'SELECT channel, position FROM read.live_updates WHERE channel = ANY($1) AND position > $2 ORDER BY position',
          [channels, after],
        ).catch(() => []);
        const now = Date.now();
        for (const row of rows) {
          if (!this.loggedAt.has(row.position)) this.loggedAt.set(row.position, now);
          after = row.position;
        }
        await sleep(50);
      }
    })();
  }

  async stop(): Promise<void> {
    this.#running = false;
    await this.#done;
  }
}

export type Delivery = {
  /** Acknowledged commands whose update arrived exactly once. */
  delivered: number;
  missing: number;
  duplicates: number;
  outOfOrder: number;
  /** Updates for no acknowledged command of this user. */
  unasked: number;
  maxDelayMs: number;
  /** Median and worst delay (ms) of the commands acknowledged within [from, to). */
  delaysBetween: (from: number, to: number) => { count: number; p50: number; max: number };
  /** The same from the moment each update was in the live-update log (given a LogWatcher). */
  pathDelaysBetween: (from: number, to: number) => { count: number; p50: number; max: number };
};

function summary(values: number[]): { count: number; p50: number; max: number } {
  const sorted = [...values].sort((a, b) => a - b);
  return { count: sorted.length, p50: sorted[Math.floor(sorted.length / 2)] ?? 0, max: sorted.at(-1) ?? 0 };
}

/** Matches every user's acknowledged commands (by position) with the updates their socket received. */
export function matchDeliveries(acks: readonly Ack[], watchers: readonly MeWatcher[], log?: LogWatcher): Delivery {
  let delivered = 0;
  let missing = 0;
  let duplicates = 0;
  let outOfOrder = 0;
  let unasked = 0;
  const delays: { ackedAt: number; delay: number; path: number | undefined }[] = [];
  watchers.forEach((watcher, user) => {
    // A retried command that had already been applied answers with the same position: one update.
    const acked = new Map<string, number>();
    for (const ack of acks) if (ack.user === user && !acked.has(ack.position)) acked.set(ack.position, ack.ackedAt);
    const seen = new Map<string, number>();
    let previous = '';
    for (const update of watcher.received) {
      if (update.position <= previous) outOfOrder++;
      previous = update.position > previous ? update.position : previous;
      if (seen.has(update.position)) duplicates++;
      else seen.set(update.position, update.at);
      if (!acked.has(update.position)) unasked++;
    }
    for (const [position, ackedAt] of acked) {
      const at = seen.get(position);
      if (at === undefined) missing++;
      else {
        delivered++;
        const logged = log?.loggedAt.get(position);
        delays.push({ ackedAt, delay: Math.max(0, at - ackedAt), path: logged === undefined ? undefined : Math.max(0, at - logged) });
      }
    }
  });
  return {
    delivered,
    missing,
    duplicates,
    outOfOrder,
    unasked,
    maxDelayMs: Math.max(0, ...delays.map((d) => d.delay)),
    delaysBetween: (from, to) => summary(delays.filter((d) => d.ackedAt >= from && d.ackedAt < to).map((d) => d.delay)),
    pathDelaysBetween: (from, to) =>
      summary(delays.flatMap((d) => (d.ackedAt >= from && d.ackedAt < to && d.path !== undefined ? [d.path] : []))),
  };
}
