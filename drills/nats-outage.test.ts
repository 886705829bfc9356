import pino from 'pino';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { activityProjection } from '@reeltime/projector/src/activity/projection.ts';
import { catalogProjection } from '@reeltime/projector/src/catalog/projection.ts';
import type { Projection } from '@reeltime/projector/src/model/projection.ts';
import { startStack, type QueryApiInstance, type Stack } from '@reeltime/query-api/src/testing/stack.ts';
import { reportDrill } from './report.ts';
import { natsMissing, postgresMissing, startNats, startPostgres, type ThrowawayNats, type ThrowawayPostgres } from './servers.ts';
import { LogWatcher, MeWatcher, RatingTraffic, matchDeliveries, type User } from './traffic.ts';

/*
 * Drill: NATS (a nats-server of its own) stopped for 10 s and restarted while 8 users send
 * rating commands and watch their `me` channel. NATS is the fast path, not the only one: while
 * it is away query-api reads the live-update log, so updates keep arriving within a second,
 * each acknowledged command's exactly once and in order; `X-Min-Position` reads keep working;
 * the projector and query-api both log the loss and the return of NATS. PostgreSQL is a private
 * cluster too: on the shared one, other tests' open transactions hold back the event store's
 * readers (they wait for the xmin horizon), which would blur the delays measured here.
 */
const OUTAGE_MS = 10_000;
const USERS = 8;
const missing = natsMissing() ?? postgresMissing();
if (missing) console.warn(`NATS outage drill skipped: ${missing}`);

type Line = { service?: string; level: number; msg: string; time: number };

describe.skipIf(missing !== undefined)('drill: NATS stopped for 10 s while commands flow', { timeout: 120_000 }, () => {
  let nats: ThrowawayNats;
  let postgres: ThrowawayPostgres;
  let stack: Stack;
  let query: QueryApiInstance;
  const lines: Line[] = [];

  beforeAll(async () => {
    [postgres, nats] = await Promise.all([startPostgres(), startNats()]);
    const logger = pino({ level: 'info' }, { write: (line: string) => void lines.push(JSON.parse(line) as Line) });
    const projections = [catalogProjection, activityProjection] as Projection[];
    // query-api retries every 3 s, the projector every second: the projector is back first and
    // publishes to a server where query-api has not subscribed again, the gap it must notice.
    stack = await startStack('drill_nats', { databaseUrl: postgres.url, natsUrl: nats.url, natsReconnectMs: 3000, logger, projections });
    query = await stack.startQueryApi();
  });
  afterAll(async () => {
    await stack?.close();
    await nats?.close();
    await postgres?.close();
  });

  it('keeps live updates flowing from the log, each once and in order, and logs the loss and return of NATS', async () => {
    const titles = Array.from({ length: 6 }, (_, i) => `movie:${8200 + i}`);
    for (let i = 0; i < titles.length; i++) await stack.seedTitle(8200 + i, `Quiet wire ${i}`);
    const users: User[] = [];
    for (let i = 0; i < USERS; i++) users.push(await stack.register(`Drill ${i}`));
    const watchers = users.map((user) => new MeWatcher(query.wsUrl, user));
    await Promise.all(watchers.map((w) => w.subscribed));
    const logWatcher = new LogWatcher(
      (sql, values) => stack.harness.read(sql, values),
      users.map((u) => `me.${u.userId}`),
    );

    const traffic = new RatingTraffic(stack.commandUrl, users, titles);
    const reads = { sent: 0, ok: 0, failed: [] as number[], maxMs: 0 };
    let reading = true;
    const reader = (async () => {
      for (let n = 0; reading; n++) {
        const user = n % USERS;
        const mine = traffic.acks.filter((a) => a.user === user).at(-1);
        const started = performance.now();
        const answer = await query.get('/me/ratings', {
          token: users[user]!.accessToken,
          headers: mine ? { 'x-min-position': mine.position } : {},
        });
        reads.sent++;
        reads.maxMs = Math.max(reads.maxMs, performance.now() - started);
        if (answer.status === 200) reads.ok++;
        else reads.failed.push(answer.status);
        await sleep(50);
      }
    })();

    traffic.start();
    await sleep(3000);
    const downAt = Date.now();
    await nats.stop();
    await sleep(OUTAGE_MS);
    await nats.start();
    const upAt = Date.now();
    await sleep(5000);
    await traffic.stop();
    await until(() => matchDeliveries(traffic.acks, watchers).missing === 0, 10_000);
    reading = false;
    await reader;
    for (const watcher of watchers) watcher.close();
    await logWatcher.stop();

    const delivery = matchDeliveries(traffic.acks, watchers, logWatcher);
    // From the moment an update is in the live-update log to its arrival on the socket: the
    // delivery path itself, apart from the projector's lag (which a busy machine stretches).
    const before = delivery.pathDelaysBetween(0, downAt);
    const during = delivery.pathDelaysBetween(downAt, upAt);
    const ackedDuring = traffic.acks.filter((a) => a.ackedAt >= downAt && a.ackedAt < upAt).length;
    const logged = (service: string, pattern: RegExp) =>
      lines.some((l) => l.service === service && pattern.test(l.msg) && l.time >= downAt);
    const logs = {
      projectorLost: logged('projector', /NATS connection lost/),
      projectorBack: logged('projector', /NATS reconnected/),
      queryApiLost: logged('query-api', /NATS connection lost/),
      queryApiBack: logged('query-api', /NATS reconnected/),
    };
    reportDrill('nats-outage', {
      outageMs: upAt - downAt,
      commandsSent: traffic.stats.sent,
      acknowledged: traffic.stats.acknowledged,
      answered503: traffic.stats.unavailable,
      unexpectedAnswers: traffic.stats.unexpected.length,
      acknowledgedDuringOutage: ackedDuring,
      updatesDelivered: delivery.delivered,
      updatesMissing: delivery.missing,
      updatesDuplicated: delivery.duplicates,
      updatesOutOfOrder: delivery.outOfOrder,
      maxUpdateDelayMs: delivery.maxDelayMs,
      commandToUpdateMs: {
        before: delivery.delaysBetween(0, downAt),
        duringOutage: delivery.delaysBetween(downAt, upAt),
        after: delivery.delaysBetween(upAt, Infinity),
      },
      loggedToUpdateMs: { before, duringOutage: during, after: delivery.pathDelaysBetween(upAt, Infinity) },
      minPositionReads: reads.sent,
      minPositionReadsOk: reads.ok,
      minPositionReadMaxMs: Math.round(reads.maxMs),
      logs,
    });

    expect(traffic.stats.unexpected).toEqual([]);
    expect(traffic.stats.unavailable).toBe(0);
    expect(ackedDuring).toBeGreaterThan(0);
    expect(delivery).toMatchObject({ missing: 0, duplicates: 0, outOfOrder: 0, unasked: 0 });
    expect(during.p50).toBeLessThan(1000);
    expect(during.max).toBeLessThan(Math.max(1000, before.max + 1000));
    expect(reads.failed).toEqual([]);
    expect(logs).toEqual({ projectorLost: true, projectorBack: true, queryApiLost: true, queryApiBack: true });
  });
});

async function until(check: () => boolean, ms: number): Promise<void> {
  const deadline = Date.now() + ms;
  while (!check() && Date.now() < deadline) await sleep(100);
}
