import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStack, type QueryApiInstance, type Stack } from './testing/stack.ts';

/** The web server calls query-api from 127.0.0.1 for every browser and names the browser in X-Forwarded-For. */
describe('rate limits behind the web server', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack('qa_proxy');
  });
  afterAll(async () => stack?.close());

  const statuses = async (api: QueryApiInstance, count: number, headers: Record<string, string>, token?: string) => {
    const answers: number[] = [];
    for (let i = 0; i < count; i++) answers.push((await api.get('/genres', { headers, token })).status);
    return answers;
  };

  it('gives two forwarded addresses separate budgets when the peer is a trusted proxy', async () => {
    const api = await stack.startQueryApi({ rateLimitPerMinute: 3, trustProxy: ['loopback'] });
    expect(await statuses(api, 4, { 'x-forwarded-for': '203.0.113.7' })).toEqual([200, 200, 200, 429]);
    expect(await statuses(api, 4, { 'x-forwarded-for': '203.0.113.8' })).toEqual([200, 200, 200, 429]);
    const limited = await api.get('/genres', { headers: { 'x-forwarded-for': '203.0.113.7' } });
    expect(limited.status).toBe(429);
    expect(limited.headers.get('content-type')).toContain('application/problem+json');
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
    // The web server's own (direct) budget is another one again.
    expect(await statuses(api, 1, {})).toEqual([200]);
  });

  it('ignores X-Forwarded-For from a peer that is not a trusted proxy', async () => {
    const api = await stack.startQueryApi({ rateLimitPerMinute: 3, trustProxy: ['10.9.8.7'] });
    expect(await statuses(api, 2, { 'x-forwarded-for': '203.0.113.7' })).toEqual([200, 200]);
    expect(await statuses(api, 2, { 'x-forwarded-for': '203.0.113.8' })).toEqual([200, 429]);
  });

  it('ignores it with TRUST_PROXY=false too', async () => {
    const api = await stack.startQueryApi({ rateLimitPerMinute: 2, trustProxy: false });
    expect(await statuses(api, 1, { 'x-forwarded-for': '203.0.113.7' })).toEqual([200]);
    expect(await statuses(api, 2, { 'x-forwarded-for': '203.0.113.8' })).toEqual([200, 429]);
  });

  it('counts signed-in users by user id, not by the address they share', async () => {
    const api = await stack.startQueryApi({ rateLimitPerMinute: 3, trustProxy: ['loopback'] });
    const [first, second] = [await stack.register('First'), await stack.register('Second')];
    const sameBrowser = { 'x-forwarded-for': '203.0.113.9' };
    expect(await statuses(api, 4, sameBrowser, first.accessToken)).toEqual([200, 200, 200, 429]);
    expect(await statuses(api, 4, sameBrowser, second.accessToken)).toEqual([200, 200, 200, 429]);
    expect(await statuses(api, 1, sameBrowser)).toEqual([200]);
  });
});
