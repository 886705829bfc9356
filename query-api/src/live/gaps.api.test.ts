import type { NatsConnection } from 'nats';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectNats } from '../nats.ts';
import { LiveClient, startStack, type QueryApiInstance, type Stack } from '../testing/stack.ts';

/*
 * The hub against a gap in NATS's updates. This query-api listens on a subject prefix of its
 * own, where the test publishes in the projector's stead (the projector's `PublishedUpdate`:
 * the logged row plus `stream` and `seq`), so it can leave an update out as a NATS outage does.
 * Its log poller's catch-up round comes only every 10 minutes: whatever reaches the socket
 * here came over NATS or from the catch-up that a gap starts.
 */
describe('live updates when NATS skips one', () => {
  let stack: Stack;
  let api: QueryApiInstance;
  let nats: NatsConnection;
  let prefix: string;

  beforeAll(async () => {
    stack = await startStack('qa_live_gap');
    prefix = `${stack.base}_gap`;
    api = await stack.startQueryApi({ subjectPrefix: prefix, livePoller: { fastMs: 100, slowMs: 600_000, pageSize: 2000 } });
    nats = await connectNats(process.env.NATS_URL ?? 'nats://127.0.0.1:4222');
    for (const id of [701, 702, 703]) await stack.seedTitle(id, `Gap ${id}`);
  });
  afterAll(async () => {
    await nats?.close();
    await stack?.close();
  });

  type Row = { channel: string; position: string; data: { type: string }; projection: string };

  /** Rates a title and returns the `rating.changed` row the projector logged for it. */
  async function rate(token: string, userId: string, titleId: string, score: number): Promise<Row> {
    const answer = await stack.command('PUT', `/ratings/${titleId}`, { token, body: { score } });
    await api.get('/me/ratings', { token, headers: { 'x-min-position': answer.body.position } });
    const rows = await stack.harness.read<Row>(
      `SELECT channel, position, data, projection FROM read.live_updates WHERE channel = $1 AND position = $2 AND data->>'type' = 'rating.changed'`,
      [`me.${userId}`, answer.body.position],
    );
    expect(rows).toHaveLength(1);
    return rows[0]!;
  }

  const publish = (row: Row, seq: number) =>
    nats.publish(`${prefix}.live.${row.channel}`, JSON.stringify({ ...row, stream: 'projector-a', seq }));

  it('given an update whose number skips one, when it arrives, then the skipped one comes first from the log, and nothing twice', async () => {
    const user = await stack.register('Gap');
    const client = await LiveClient.open(`${api.wsUrl}?token=${user.accessToken}`);
    client.send({ type: 'subscribe', channels: ['me'] });
    await client.until((m) => m.find((x) => x.type === 'subscribed'));
    const ratingPositions = () => client.updates('me').flatMap((u) => (u.data.type === 'rating.changed' ? [u.position] : []));

    const first = await rate(user.accessToken, user.userId, 'movie:701', 6);
    publish(first, 1);
    await client.until(() => ratingPositions().length === 1);

    const missed = await rate(user.accessToken, user.userId, 'movie:702', 7);
    const next = await rate(user.accessToken, user.userId, 'movie:703', 8);
    publish(next, 3);
    await client.until(() => ratingPositions().length >= 3);
    const followUp = await rate(user.accessToken, user.userId, 'movie:701', 9);
    publish(followUp, 4);
    await client.until(() => ratingPositions().length >= 4);

    expect(ratingPositions()).toEqual([first.position, missed.position, next.position, followUp.position]);
    client.close();
  });
});
