import { createSigner } from 'fast-jwt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TEST_AUTH, startCommandApi, type CommandApiHarness } from '../testing/api.testing.ts';

let api: CommandApiHarness;
beforeAll(async () => {
  api = await startCommandApi({ loginThrottle: { maxFailures: 3, windowSeconds: 60, lockSeconds: 60 } });
});
afterAll(() => api.close());

async function allEventsText(): Promise<string> {
  const { rows } = await api.store.pool.query('SELECT data::text || metadata::text AS t FROM events');
  return rows.map((row: { t: string }) => row.t).join('\n');
}

describe('registration', () => {
  it('creates the account, a UserRegistered event without the email, and a private watchlist', async () => {
    const email = `New.Viewer-${Date.now()}@Example.com`;
    const answer = await api.call('POST', '/auth/register', { body: { email, password: 'a long password', displayName: 'Nia' } });
    expect(answer.status).toBe(201);
    expect(answer.body).toMatchObject({
      userId: expect.any(String),
      accessToken: expect.any(String),
      refreshToken: expect.any(String),
      expiresIn: 900,
    });
    const [registered] = await api.store.readStream(`user-${answer.body.userId}`);
    expect(registered).toMatchObject({ type: 'UserRegistered', data: { userId: answer.body.userId, displayName: 'Nia' } });
    expect(registered!.correlationId).toBe(answer.headers.get('x-request-id'));
    expect(await api.listsCreatedBy(answer.body.userId)).toEqual([
      expect.objectContaining({ kind: 'watchlist', visibility: 'private', name: 'Watchlist' }),
    ]);
    expect((await allEventsText()).toLowerCase()).not.toContain(email.toLowerCase());
  });

  it('refuses a taken email whatever its case, and appends nothing for it', async () => {
    const first = await api.register();
    const before = await api.eventCount();
    const again = await api.call('POST', '/auth/register', {
      body: { email: first.email.toUpperCase(), password: 'another password', displayName: 'Copy' },
    });
    expect(again.status).toBe(409);
    expect(again.body).toMatchObject({ status: 409, code: 'email_taken' });
    expect(again.headers.get('content-type')).toContain('application/problem+json');
    expect(await api.eventCount()).toBe(before);
  });

  it('names every bad field', async () => {
    const answer = await api.call('POST', '/auth/register', { body: { email: 'not-an-email', password: 'short', displayName: '' } });
    expect(answer.status).toBe(400);
    expect(answer.body.errors.map((e: { field: string }) => e.field).sort()).toEqual(['/displayName', '/email', '/password']);
  });
});

describe('login and tokens', () => {
  it('logs in with the right password only', async () => {
    const viewer = await api.register();
    const ok = await api.call('POST', '/auth/login', { body: { email: viewer.email, password: 'a long password' } });
    expect(ok.status).toBe(200);
    expect(ok.body.userId).toBe(viewer.userId);
    const wrong = await api.call('POST', '/auth/login', { body: { email: viewer.email, password: 'wrong password' } });
    expect(wrong.status).toBe(401);
    const unknown = await api.call('POST', '/auth/login', { body: { email: 'nobody@example.com', password: 'whatever123' } });
    expect(unknown.status).toBe(401);
  });

  it('locks an account after repeated failures, even for the right password, with Retry-After', async () => {
    const viewer = await api.register();
    for (let i = 0; i < 3; i++) {
      expect((await api.call('POST', '/auth/login', { body: { email: viewer.email, password: `guess ${i}` } })).status).toBe(401);
    }
    const locked = await api.call('POST', '/auth/login', { body: { email: viewer.email, password: 'a long password' } });
    expect(locked.status).toBe(429);
    expect(Number(locked.headers.get('retry-after'))).toBeGreaterThan(0);
  });

  it('rotates refresh tokens, and a reused one revokes the whole family', async () => {
    const viewer = await api.register();
    const first = await api.call('POST', '/auth/refresh', { body: { refreshToken: viewer.refreshToken } });
    expect(first.status).toBe(200);
    expect(first.body.refreshToken).not.toBe(viewer.refreshToken);
    const reuse = await api.call('POST', '/auth/refresh', { body: { refreshToken: viewer.refreshToken } });
    expect(reuse.status).toBe(401);
    expect(reuse.body.code).toBe('refresh_token_reused');
    // The thief's (or owner's) newer token died with the family.
    const newer = await api.call('POST', '/auth/refresh', { body: { refreshToken: first.body.refreshToken } });
    expect(newer.status).toBe(401);
  });

  it('lets exactly one of two concurrent refreshes with one token win', async () => {
    const viewer = await api.register();
    const answers = await Promise.all([1, 2].map(() => api.call('POST', '/auth/refresh', { body: { refreshToken: viewer.refreshToken } })));
    expect(answers.map((a) => a.status).sort()).toEqual([200, 401]);
  });

  it('logout ends the login', async () => {
    const viewer = await api.register();
    expect((await api.call('POST', '/auth/logout', { body: { refreshToken: viewer.refreshToken } })).status).toBe(204);
    expect((await api.call('POST', '/auth/refresh', { body: { refreshToken: viewer.refreshToken } })).status).toBe(401);
  });

  it('refuses expired, tampered, wrong-audience and unsigned tokens with 401', async () => {
    const viewer = await api.register();
    const sign = (options: object) => createSigner({ key: TEST_AUTH.secret, ...options })({ sub: viewer.userId });
    const expired = sign({ aud: 'reeltime', iss: 'reeltime', expiresIn: 1, clockTimestamp: Date.now() - 60_000 });
    const wrongAudience = sign({ aud: 'somebody-else', iss: 'reeltime', expiresIn: 60_000 });
    const wrongKey = createSigner({ key: 'another-secret-another-secret-another', aud: 'reeltime', iss: 'reeltime' })({
      sub: viewer.userId,
    });
    const [header, payload, signature] = viewer.accessToken.split('.');
    const forgedPayload = Buffer.from(
      JSON.stringify({ ...JSON.parse(Buffer.from(payload!, 'base64url').toString()), sub: '00000000-0000-4000-8000-000000000000' }),
    ).toString('base64url');
    const tampered = `${header}.${forgedPayload}.${signature}`;
    const unsigned = `${Buffer.from('{"alg":"none","typ":"JWT"}').toString('base64url')}.${payload}.`;
    for (const token of [expired, wrongAudience, wrongKey, tampered, unsigned, 'garbage']) {
      const answer = await api.call('POST', '/lists', { token, body: { name: 'x' } });
      expect(answer.status, token).toBe(401);
      expect(answer.body.code).toMatch(/token|unauthenticated/);
    }
    expect((await api.call('POST', '/lists', { body: { name: 'x' } })).status).toBe(401);
    expect((await api.call('POST', '/lists', { token: viewer.accessToken, body: { name: 'mine' } })).status).toBe(201);
  });
});

describe('erasing an account', () => {
  it('deletes credentials and sessions, appends UserErased, and refuses the old tokens', async () => {
    const viewer = await api.register();
    const erased = await api.call('DELETE', '/me', { token: viewer.accessToken });
    expect(erased.status).toBe(202);
    expect(erased.headers.get('x-position')).toBe(erased.body.position);
    const events = await api.store.readStream(`user-${viewer.userId}`);
    expect(events.map((e) => e.type)).toEqual(['UserRegistered', 'UserErased']);
    const { rows } = await api.pool.query(`SELECT count(*)::int AS n FROM ${api.schema}.accounts WHERE user_id = $1`, [viewer.userId]);
    expect(rows[0].n).toBe(0);
    expect((await api.call('POST', '/lists', { token: viewer.accessToken, body: { name: 'x' } })).status).toBe(401);
    expect((await api.call('POST', '/auth/refresh', { body: { refreshToken: viewer.refreshToken } })).status).toBe(401);
    expect((await api.call('POST', '/auth/login', { body: { email: viewer.email, password: 'a long password' } })).status).toBe(401);
  });
});

describe('per-address limits', () => {
  it('answers 429 with Retry-After after too many auth attempts from one address', async () => {
    const strict = await startCommandApi({ authAttemptsPerMinute: 3 });
    try {
      const statuses: number[] = [];
      let retryAfter: string | null = null;
      for (let i = 0; i < 5; i++) {
        const answer = await strict.call('POST', '/auth/login', { body: { email: `x${i}@example.com`, password: 'whatever123' } });
        statuses.push(answer.status);
        retryAfter ??= answer.headers.get('retry-after');
      }
      expect(statuses).toEqual([401, 401, 401, 429, 429]);
      expect(Number(retryAfter)).toBeGreaterThan(0);
    } finally {
      await strict.close();
    }
  });
});

describe('signing out everywhere (POST /auth/logout-all)', () => {
  const login = async (email: string) => {
    const answer = await api.call('POST', '/auth/login', { body: { email, password: 'a long password' } });
    expect(answer.status).toBe(200);
    return answer.body as { accessToken: string; refreshToken: string };
  };
  const refresh = (refreshToken: string) => api.call('POST', '/auth/refresh', { body: { refreshToken } });

  it('ends every login of the user, rotated ones included, and leaves other users signed in', async () => {
    const viewer = await api.register();
    const laptop = await login(viewer.email);
    const phone = await login(viewer.email);
    const phoneRotated = await refresh(phone.refreshToken);
    expect(phoneRotated.status).toBe(200);
    const someoneElse = await api.register();

    const answer = await api.call('POST', '/auth/logout-all', { token: viewer.accessToken });
    expect(answer.status).toBe(204);
    expect(answer.body).toBeUndefined();

    for (const token of [viewer.refreshToken, laptop.refreshToken, phoneRotated.body.refreshToken]) {
      const again = await refresh(token);
      expect(again.status).toBe(401);
      expect(again.body.code).toBe('invalid_refresh_token');
    }
    expect((await refresh(phone.refreshToken)).status).toBe(401); // the already used one
    expect((await refresh(someoneElse.refreshToken)).status).toBe(200);
    // Signing in again afterwards starts a new, working login.
    const fresh = await login(viewer.email);
    expect((await refresh(fresh.refreshToken)).status).toBe(200);
    // Documented: an access token already issued lives out its 15 minutes.
    expect((await api.call('POST', '/lists', { token: viewer.accessToken, body: { name: 'still mine' } })).status).toBe(201);
  });

  it('takes no body or {}, answers 204 again when nothing is left to end, and names an unexpected field', async () => {
    const viewer = await api.register();
    expect((await api.call('POST', '/auth/logout-all', { token: viewer.accessToken, body: {} })).status).toBe(204);
    expect((await api.call('POST', '/auth/logout-all', { token: viewer.accessToken })).status).toBe(204);
    expect((await refresh(viewer.refreshToken)).status).toBe(401);
    const confused = await api.call('POST', '/auth/logout-all', { token: viewer.accessToken, body: { refreshToken: viewer.refreshToken } });
    expect(confused.status).toBe(400);
    expect(confused.body.errors.map((e: { field: string }) => e.field)).toEqual(['/refreshToken']);
  });

  it('needs a valid access token (a refresh token is not one)', async () => {
    const viewer = await api.register();
    const anonymous = await api.call('POST', '/auth/logout-all');
    expect(anonymous.status).toBe(401);
    expect(anonymous.body.code).toBe('unauthenticated');
    const wrongKind = await api.call('POST', '/auth/logout-all', { token: viewer.refreshToken });
    expect(wrongKind.status).toBe(401);
    expect(wrongKind.body.code).toBe('invalid_token');
    expect((await refresh(viewer.refreshToken)).status).toBe(200);
  });

  it('leaves no login alive when refreshes race it', async () => {
    const viewer = await api.register();
    const sessions = await Promise.all(Array.from({ length: 6 }, () => login(viewer.email)));
    const [signOut, ...refreshes] = await Promise.all([
      api.call('POST', '/auth/logout-all', { token: viewer.accessToken }),
      ...sessions.map((session) => refresh(session.refreshToken)),
    ]);
    expect(signOut!.status).toBe(204);
    const survivors = refreshes.filter((answer) => answer.status === 200).map((answer) => answer.body.refreshToken as string);
    for (const token of survivors) expect((await refresh(token)).status).toBe(401);
  });
});

describe('behind a proxy (X-Forwarded-For)', () => {
  const attempts = async (harness: CommandApiHarness, forwardedFor: string, count: number) => {
    const statuses: number[] = [];
    for (let i = 0; i < count; i++) {
      const answer = await harness.call('POST', '/auth/login', {
        body: { email: `nobody${i}@example.com`, password: 'whatever123' },
        headers: { 'x-forwarded-for': forwardedFor },
      });
      statuses.push(answer.status);
    }
    return statuses;
  };

  it('counts auth attempts per forwarded address when the peer is a trusted proxy', async () => {
    const behindWeb = await startCommandApi({ authAttemptsPerMinute: 3, trustProxy: ['loopback'] });
    try {
      expect(await attempts(behindWeb, '203.0.113.7', 4)).toEqual([401, 401, 401, 429]);
      expect(await attempts(behindWeb, '203.0.113.8', 4)).toEqual([401, 401, 401, 429]);
      // A client that sends its own X-Forwarded-For through the proxy is still counted by the
      // address the proxy saw (the right-most untrusted one), so it cannot buy a new budget.
      expect(await attempts(behindWeb, '198.51.100.1, 203.0.113.7', 1)).toEqual([429]);
    } finally {
      await behindWeb.close();
    }
  });

  it('ignores X-Forwarded-For from a peer that is not a trusted proxy', async () => {
    const elsewhere = await startCommandApi({ authAttemptsPerMinute: 3, trustProxy: ['10.9.8.7'] });
    try {
      expect(await attempts(elsewhere, '203.0.113.7', 2)).toEqual([401, 401]);
      expect(await attempts(elsewhere, '203.0.113.8', 2)).toEqual([401, 429]);
    } finally {
      await elsewhere.close();
    }
  });

  it('keys the general limit of authenticated requests by user, not by the shared address', async () => {
    const limited = await startCommandApi({ rateLimitPerMinute: 3, trustProxy: ['loopback'] });
    try {
      const [first, second] = [await limited.register(), await limited.register()];
      const create = (token: string) =>
        limited.call('POST', '/lists', { token, body: { name: 'x' }, headers: { 'x-forwarded-for': '203.0.113.9' } });
      const statuses = async (token: string) => {
        const answers: number[] = [];
        for (let i = 0; i < 4; i++) answers.push((await create(token)).status);
        return answers;
      };
      expect(await statuses(first.accessToken)).toEqual([201, 201, 201, 429]);
      expect(await statuses(second.accessToken)).toEqual([201, 201, 201, 429]);
      const limitedAnswer = await create(first.accessToken);
      expect(Number(limitedAnswer.headers.get('retry-after'))).toBeGreaterThan(0);
    } finally {
      await limited.close();
    }
  });
});
