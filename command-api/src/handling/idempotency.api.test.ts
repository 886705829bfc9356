import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCommandApi, type CommandApiHarness, type Session } from '../testing/api.testing.ts';

let api: CommandApiHarness;
let viewer: Session;
beforeAll(async () => {
  api = await startCommandApi();
  await api.seedTitles('movie:603', 'movie:604', 'tv:1399');
  viewer = await api.register();
});
afterAll(() => api.close());

const countEvents = async (stream: string) => (await api.store.readStream(stream)).length;

describe('Idempotency-Key', () => {
  it('replays the first answer to a retry and appends nothing more', async () => {
    const headers = { 'idempotency-key': 'rate-603-a' };
    const first = await api.call('PUT', '/ratings/movie:603', { token: viewer.accessToken, body: { score: 8 }, headers });
    const retry = await api.call('PUT', '/ratings/movie:603', { token: viewer.accessToken, body: { score: 8 }, headers });
    expect(first.status).toBe(200);
    expect(first.headers.get('idempotent-replayed')).toBeNull();
    expect(retry).toMatchObject({ status: 200, body: first.body });
    expect(retry.headers.get('idempotent-replayed')).toBe('true');
    expect(retry.headers.get('x-position')).toBe(first.body.position);
    expect(await countEvents(`rating-${viewer.userId}-movie:603`)).toBe(1);
  });

  it('treats the same key with another body as 422, whatever the key order', async () => {
    const headers = { 'idempotency-key': 'diary-1' };
    const first = await api.call('POST', '/diary', {
      token: viewer.accessToken,
      body: { titleId: 'movie:604', watchedOn: '2024-01-02' },
      headers,
    });
    expect(first.status).toBe(201);
    const sameReordered = await api.call('POST', '/diary', {
      token: viewer.accessToken,
      body: { watchedOn: '2024-01-02', titleId: 'movie:604' },
      headers,
    });
    expect(sameReordered.status).toBe(201);
    expect(sameReordered.body.entryId).toBe(first.body.entryId);
    const other = await api.call('POST', '/diary', {
      token: viewer.accessToken,
      body: { titleId: 'movie:604', watchedOn: '2024-01-03' },
      headers,
    });
    expect(other.status).toBe(422);
    expect(other.body.code).toBe('idempotency_key_reused');
    expect(await countEvents(`diary-${viewer.userId}`)).toBe(1);
  });

  it('appends once for two concurrent requests with one key, and both get the same answer', async () => {
    const headers = { 'idempotency-key': 'new-list-concurrent' };
    const answers = await Promise.all(
      [1, 2, 3].map(() => api.call('POST', '/lists', { token: viewer.accessToken, body: { name: 'Once' }, headers })),
    );
    expect(answers.map((a) => a.status)).toEqual([201, 201, 201]);
    expect(new Set(answers.map((a) => a.body.listId)).size).toBe(1);
    expect(answers.filter((a) => a.headers.get('idempotent-replayed') === 'true')).toHaveLength(2);
    expect(await countEvents(`list-${answers[0]!.body.listId}`)).toBe(1);
  });

  it('keeps keys per user and replays refusals too', async () => {
    const someoneElse = await api.register();
    const headers = { 'idempotency-key': 'shared-key' };
    const mine = await api.call('DELETE', '/ratings/tv:1399', { token: viewer.accessToken, headers });
    expect(mine.status).toBe(404);
    const replay = await api.call('DELETE', '/ratings/tv:1399', { token: viewer.accessToken, headers });
    expect(replay.status).toBe(404);
    expect(replay.headers.get('idempotent-replayed')).toBe('true');
    expect(replay.headers.get('content-type')).toContain('application/problem+json');
    const theirs = await api.call('PUT', '/ratings/tv:1399', { token: someoneElse.accessToken, body: { score: 3 }, headers });
    expect(theirs.status).toBe(200);
  });

  it('refuses a malformed key', async () => {
    const answer = await api.call('PUT', '/ratings/movie:603', {
      token: viewer.accessToken,
      body: { score: 8 },
      headers: { 'idempotency-key': 'x'.repeat(300) },
    });
    expect(answer.status).toBe(400);
  });
});
