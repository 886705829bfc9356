import { describe, expect, it } from 'vitest';
import { createLogger, redactSecrets } from './logger.ts';

function capture() {
  const lines: string[] = [];
  const log = createLogger('test', 'trace', { write: (line: string) => void lines.push(line) });
  return { log, lines, parsed: () => lines.map((line) => JSON.parse(line) as Record<string, unknown>) };
}

describe('redactSecrets', () => {
  it.each([
    ['/live?token=eyJ.a.b', '/live?token=[redacted]'],
    ['/live?x=1&access_token=abc&y=2', '/live?x=1&access_token=[redacted]&y=2'],
    [
      'https://api.themoviedb.org/3/movie/1?append=credits&api_key=k3y',
      'https://api.themoviedb.org/3/movie/1?append=credits&api_key=[redacted]',
    ],
    ['sent Authorization: Bearer eyJhbGci.eyJzdWIi.sig', 'sent Authorization: Bearer [redacted]'],
    ['postgres://reeltime:hunter2@db:5432/reeltime', 'postgres://reeltime:[redacted]@db:5432/reeltime'],
  ])('%s', (given, expected) => {
    expect(redactSecrets(given)).toBe(expected);
  });

  it.each([
    '/titles?q=token&limit=20',
    'basic auth failed',
    'postgres://root@127.0.0.1:5432/test',
    'nats://127.0.0.1:4222',
    'a plain message',
  ])('leaves %s alone', (text) => {
    expect(redactSecrets(text)).toBe(text);
  });
});

describe('the logger', () => {
  it('censors credential fields, in headers, bodies and settings', () => {
    const { log, parsed } = capture();
    log.info({ headers: { authorization: 'Bearer eyJhbGci.t0k3n.s1g', cookie: 'session=s3cr3t', accept: 'json' } }, 'headers');
    log.info({ body: { email: 'a@example.com', password: 'pa55word', refreshToken: 'r3fresh' } }, 'body');
    log.info({ credential: { kind: 'apiKey', key: 'k3y' } }, 'settings');
    expect(parsed().map(({ headers, body, credential }) => ({ headers, body, credential }))).toEqual([
      { headers: { authorization: '[redacted]', cookie: '[redacted]', accept: 'json' } },
      { body: { email: 'a@example.com', password: '[redacted]', refreshToken: '[redacted]' } },
      { credential: '[redacted]' },
    ]);
  });

  it('strips query secrets from URLs, requests, messages and errors, without touching the logged objects', () => {
    const { log, lines, parsed } = capture();
    const fields = { url: '/live?token=eyJhbGci.t0k3n.s1g', status: 101 };
    log.info(fields, 'request');
    log.info(
      { req: { method: 'GET', url: '/live?token=eyJhbGci.t0k3n.s1g', headers: { authorization: 'Bearer eyJhbGci.t0k3n.s1g' } } },
      'req',
    );
    log.warn('calling /3/movie/1?api_key=k3y');
    log.child({ correlationId: 'c' }).error({ err: new Error('GET /3/movie/1?api_key=k3y failed (Bearer eyJhbGci.t0k3n.s1g)') }, 'failed');
    expect(fields.url).toBe('/live?token=eyJhbGci.t0k3n.s1g');
    const [request, req, message, failed] = parsed();
    expect(request).toMatchObject({ url: '/live?token=[redacted]', status: 101 });
    expect(req).toMatchObject({ req: { method: 'GET', url: '/live?token=[redacted]' } });
    expect((req as { req: object }).req).not.toHaveProperty('headers');
    expect(message).toMatchObject({ msg: 'calling /3/movie/1?api_key=[redacted]' });
    expect(failed).toMatchObject({ correlationId: 'c', err: { message: 'GET /3/movie/1?api_key=[redacted] failed (Bearer [redacted])' } });
    for (const secret of ['eyJhbGci.t0k3n.s1g', 'k3y']) expect(lines.filter((line) => line.includes(secret))).toEqual([]);
  });
});
