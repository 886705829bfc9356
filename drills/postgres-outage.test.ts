import pino from 'pino';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodePosition } from '@reeltime/eventstore';
import { activityProjection } from '@reeltime/projector/src/activity/projection.ts';
import { catalogProjection } from '@reeltime/projector/src/catalog/projection.ts';
import type { Projection } from '@reeltime/projector/src/model/projection.ts';
import { startStack, type QueryApiInstance, type Stack } from '@reeltime/query-api/src/testing/stack.ts';
import { errorLines, reportDrill } from './report.ts';
import { natsMissing, postgresMissing, startNats, startPostgres, type ThrowawayNats, type ThrowawayPostgres } from './servers.ts';
import { MeWatcher, RatingTraffic, matchDeliveries, type User } from './traffic.ts';

/*
 * Drill: PostgreSQL (a private cluster) stopped for 10 s and restarted while 8 users send
 * rating commands. Commands answer 503 with Retry-After while it is down, whichever check
 * meets the outage first, never 500 and never a hang; every acknowledged command is in the
 * store exactly once; every service is not-ready while it is down and recovers on its own.
 */
const OUTAGE_MS = 10_000;
const USERS = 8;
const missing = postgresMissing() ?? natsMissing();
if (missing) console.warn(`PostgreSQL outage drill skipped: ${missing}`);

type Probe = { service: string; at: number; status: number };

describe.skipIf(missing !== undefined)('drill: PostgreSQL stopped for 10 s under command load', { timeout: 120_000 }, () => {
  let postgres: ThrowawayPostgres;
  let nats: ThrowawayNats;
  let stack: Stack;
  let query: QueryApiInstance;
  const lines: string[] = [];

  beforeAll(async () => {
    [postgres, nats] = await Promise.all([startPostgres(), startNats()]);
    const logger = pino({ level: 'info' }, { write: (line: string) => void lines.push(line) });
    // Recommendations left out: the drill is about the command path and catch-up, and they cost CPU.
    const projections = [catalogProjection, activityProjection] as Projection[];
    stack = await startStack('drill_pg', { databaseUrl: postgres.url, natsUrl: nats.url, logger, projections });
    query = await stack.startQueryApi();
  });
  afterAll(async () => {
    // The stack's pools talk to the private cluster: close them before the cluster goes.
    await stack?.close().catch(() => {});
    await postgres?.close();
    await nats?.close();
  });

  it('answers 503 (never 500 or a hang) while it is down, loses and repeats nothing, and recovers without a restart', async () => {
    const titles = Array.from({ length: 6 }, (_, i) => `movie:${8100 + i}`);
    for (let i = 0; i < titles.length; i++) await stack.seedTitle(8100 + i, `Outage ${i}`);
    const users: User[] = [];
    for (let i = 0; i < USERS; i++) users.push(await stack.register(`Drill ${i}`));
    const watchers = users.map((user) => new MeWatcher(query.wsUrl, user));
    await Promise.all(watchers.map((w) => w.subscribed));

    const probes: Probe[] = [];
    const endpoints = {
      'command-api': `${stack.commandUrl}/health/ready`,
      'query-api': `${query.baseUrl}/health/ready`,
      projector: `http://127.0.0.1:${stack.projector.port}/health/ready`,
    };
    let probing = true;
    const prober = (async () => {
      while (probing) {
        await Promise.all(
          Object.entries(endpoints).map(async ([service, url]) => {
            const status = await fetch(url, { signal: AbortSignal.timeout(5000) }).then(
              (r) => r.status,
              () => 0,
            );
            probes.push({ service, at: Date.now(), status });
          }),
        );
        await sleep(250);
      }
    })();

    const traffic = new RatingTraffic(stack.commandUrl, users, titles);
    traffic.start();
    await sleep(3000);
    const downAt = Date.now();
    await postgres.stop();
    await sleep(OUTAGE_MS);
    await postgres.start();
    const upAt = Date.now();
    await sleep(6000);
    await traffic.stop();

    // Every acknowledged command reaches the read models and every socket (after the restart too).
    const lastPosition = traffic.acks.reduce((max, a) => (a.position > max ? a.position : max), '');
    const caughtUpMs = await until(async () => {
      const rows = await stack.harness.read<{ position: string }>(
        `SELECT position FROM read.projection_positions WHERE projection = 'activity'`,
      );
      return rows[0] !== undefined && rows[0].position >= lastPosition;
    }, 20_000);
    await until(async () => matchDeliveries(traffic.acks, watchers).missing === 0, 10_000);
    probing = false;
    await prober;
    for (const watcher of watchers) watcher.close();

    const readAfter = await Promise.all(
      users.map((user, i) => {
        const mine = traffic.acks.filter((a) => a.user === i).at(-1);
        return query.get('/me/ratings', { token: user.accessToken, headers: mine ? { 'x-min-position': mine.position } : {} });
      }),
    );

    // The store holds exactly the acknowledged commands' events: each once, none unasked for.
    const { rows } = await stack.harness.store.pool.query<{ tx: string; gp: string }>(
      `SELECT transaction_id::text AS tx, global_position::text AS gp FROM events WHERE type = 'TitleRated'`,
    );
    const stored = rows.map((r) => encodePosition(r.tx, r.gp));
    const acked = new Set(traffic.acks.map((a) => a.position));
    const storedSet = new Set(stored);

    const delivery = matchDeliveries(traffic.acks, watchers);
    const notReadyWhileDown = Object.fromEntries(
      Object.keys(endpoints).map((service) => [
        service,
        probes.some((p) => p.service === service && p.at > downAt + 500 && p.at < upAt && p.status === 503),
      ]),
    );
    const readyAgainMs = Object.fromEntries(
      Object.keys(endpoints).map((service) => {
        const back = probes.find((p) => p.service === service && p.at >= upAt && p.status === 200);
        return [service, back ? back.at - upAt : null];
      }),
    );
    const firstAckAfter = traffic.acks.find((a) => a.ackedAt >= upAt);
    // Warnings too: a projection batch failed by a stale pooled connection after the restart
    // (seen once, 5 s after the projections resumed) is logged as a warning, as outages are.
    const failuresAfterRecovery = errorLines(lines, 40).filter((line) => (JSON.parse(line) as { time: number }).time > upAt + 2000);
    const figures = {
      outageMs: upAt - downAt,
      commandsSent: traffic.stats.sent,
      requests: traffic.stats.requests,
      acknowledged: traffic.stats.acknowledged,
      answered503: traffic.stats.unavailable,
      answered503WithoutRetryAfter: traffic.stats.unavailableWithoutRetryAfter,
      answered409InProgress: traffic.stats.inProgress,
      unexpectedAnswers: traffic.stats.unexpected.length,
      hangs: traffic.stats.hangs,
      eventsStored: stored.length,
      acknowledgedPositions: acked.size,
      updatesDelivered: delivery.delivered,
      updatesMissing: delivery.missing,
      updatesDuplicated: delivery.duplicates,
      maxUpdateDelayMs: delivery.maxDelayMs,
      updateDelayAfterRecoveryMs: delivery.delaysBetween(upAt, Infinity),
      commandsBackAfterMs: firstAckAfter ? firstAckAfter.ackedAt - upAt : null,
      projectedAllAfterStopMs: caughtUpMs ?? null,
      notReadyWhileDown,
      readyAgainAfterMs: readyAgainMs,
      failureLinesAfterRecovery: failuresAfterRecovery.map((line) => {
        const entry = JSON.parse(line) as { time: number; service?: string; msg: string; err?: { message?: string } };
        return `+${entry.time - upAt} ms ${entry.service ?? ''}: ${entry.msg}: ${entry.err?.message ?? ''}`.slice(0, 300);
      }),
    };
    reportDrill('postgres-outage', figures);

    expect(traffic.stats.unexpected).toEqual([]);
    expect(traffic.stats.hangs).toBe(0);
    expect(traffic.stats.unavailable).toBeGreaterThan(0);
    expect(traffic.stats.unavailableWithoutRetryAfter).toBe(0);
    expect(traffic.unavailableAt.every((at) => at >= downAt && at < upAt + 5000)).toBe(true);
    expect(stored.length).toBe(storedSet.size);
    expect([...storedSet].sort()).toEqual([...acked].sort());
    expect(firstAckAfter).toBeDefined();
    expect(caughtUpMs).toBeDefined();
    expect(delivery).toMatchObject({ missing: 0, duplicates: 0, outOfOrder: 0, unasked: 0 });
    expect(readAfter.map((a) => a.status)).toEqual(users.map(() => 200));
    expect(notReadyWhileDown).toEqual({ 'command-api': true, 'query-api': true, projector: true });
    for (const service of Object.keys(endpoints)) expect(readyAgainMs[service]).not.toBeNull();
    expect(failuresAfterRecovery).toEqual([]);
  });
});

/** Polls `check` until it holds; the milliseconds it took, or undefined after `ms`. */
async function until(check: () => Promise<boolean>, ms: number): Promise<number | undefined> {
  const started = Date.now();
  while (Date.now() - started < ms) {
    if (await check().catch(() => false)) return Date.now() - started;
    await sleep(100);
  }
  return undefined;
}
