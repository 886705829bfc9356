import { TEXT_FORMAT, TEXT_FORMAT_MESSAGE } from '@reeltime/schemas';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCommandApi, type CommandApiHarness, type Session } from './testing/api.testing.ts';

// Text PostgreSQL cannot store (NUL, unpaired surrogates) used to pass validation and then fail
// the append or the account insert: a 500. Every free-text field of every command refuses it
// with a 400 naming the field, and nothing is written.

let api: CommandApiHarness;
let viewer: Session;
let listId: string;
beforeAll(async () => {
  api = await startCommandApi();
  await api.seedTitles('movie:603');
  viewer = await api.register();
  listId = (await api.call('POST', '/lists', { token: viewer.accessToken, body: { name: 'Mine' } })).body.listId;
});
afterAll(() => api?.close());

const UNSTORABLE = { nul: 'before\u0000after', 'lone surrogate': 'half \uD83D of an emoji' };

type Case = { command: string; method: string; path: () => string; field: string; body: (text: string) => object; auth: boolean };
const cases: Case[] = [
  {
    command: 'register',
    method: 'POST',
    path: () => '/auth/register',
    field: 'displayName',
    auth: false,
    body: (text) => ({ email: 'nul@example.com', password: 'a long password', displayName: text }),
  },
  {
    command: 'register',
    method: 'POST',
    path: () => '/auth/register',
    field: 'password',
    auth: false,
    body: (text) => ({ email: 'nul@example.com', password: `long ${text}`, displayName: 'Nul' }),
  },
  {
    command: 'login',
    method: 'POST',
    path: () => '/auth/login',
    field: 'password',
    auth: false,
    body: (text) => ({ email: 'nul@example.com', password: text }),
  },
  { command: 'create list', method: 'POST', path: () => '/lists', field: 'name', auth: true, body: (text) => ({ name: text }) },
  {
    command: 'create list',
    method: 'POST',
    path: () => '/lists',
    field: 'description',
    auth: true,
    body: (text) => ({ name: 'Fine', description: text }),
  },
  { command: 'update list', method: 'PATCH', path: () => `/lists/${listId}`, field: 'name', auth: true, body: (text) => ({ name: text }) },
  {
    command: 'update list',
    method: 'PATCH',
    path: () => `/lists/${listId}`,
    field: 'description',
    auth: true,
    body: (text) => ({ description: text }),
  },
  {
    command: 'add list item',
    method: 'POST',
    path: () => `/lists/${listId}/items`,
    field: 'note',
    auth: true,
    body: (text) => ({ titleId: 'movie:603', note: text }),
  },
  {
    command: 'rate',
    method: 'PUT',
    path: () => '/ratings/movie:603',
    field: 'review',
    auth: true,
    body: (text) => ({ score: 8, review: text }),
  },
];

describe('text PostgreSQL cannot store, through the real HTTP API', () => {
  describe.each(Object.entries(UNSTORABLE))('%s', (_kind, text) => {
    it.each(cases)('$command refuses it in $field: 400 naming the field, nothing written', async ({ method, path, field, body, auth }) => {
      const before = await api.eventCount();
      const answer = await api.call(method, path(), { token: auth ? viewer.accessToken : undefined, body: body(text) });
      expect(answer.status).toBe(400);
      expect(answer.headers.get('content-type')).toContain('application/problem+json');
      expect(answer.body.errors).toEqual([{ in: 'body', field: `/${field}`, message: TEXT_FORMAT_MESSAGE }]);
      expect(await api.eventCount()).toBe(before);
    });
  });

  it('the same text without the bad character is accepted (the refusal is about that character alone)', async () => {
    const rated = await api.call('PUT', '/ratings/movie:603', { token: viewer.accessToken, body: { score: 8, review: 'before after 😀' } });
    expect(rated.status).toBe(200);
    const registered = await api.call('POST', '/auth/register', {
      body: { email: 'nul@example.com', password: 'a long password', displayName: 'Nul 😀' },
    });
    expect(registered.status).toBe(201);
  });

  it('every free-text string of every command body has the text format (the cases above cannot miss a new field)', async () => {
    const { body: document } = await api.call('GET', '/docs/json');
    const unguarded: string[] = [];
    const walk = (schema: Record<string, unknown> | undefined, where: string) => {
      if (!schema || typeof schema !== 'object') return;
      // A string constrained by a pattern, another format or an enum cannot carry free text.
      if (
        schema.type === 'string' &&
        schema.format !== TEXT_FORMAT &&
        schema.pattern === undefined &&
        schema.format === undefined &&
        schema.enum === undefined &&
        schema.const === undefined
      ) {
        unguarded.push(where);
      }
      for (const [key, value] of Object.entries((schema.properties as Record<string, Record<string, unknown>>) ?? {}))
        walk(value, `${where}/${key}`);
      if (schema.items) walk(schema.items as Record<string, unknown>, `${where}/items`);
      for (const branch of [...((schema.anyOf as []) ?? []), ...((schema.oneOf as []) ?? [])]) walk(branch, where);
    };
    const seen: string[] = [];
    for (const [path, methods] of Object.entries(
      document.paths as Record<string, Record<string, { requestBody?: { content: Record<string, { schema: Record<string, unknown> }> } }>>,
    )) {
      for (const [method, operation] of Object.entries(methods)) {
        for (const content of Object.values(operation.requestBody?.content ?? {})) {
          seen.push(`${method} ${path}`);
          walk(content.schema, `${method.toUpperCase()} ${path} body`);
        }
      }
    }
    expect(seen.length).toBeGreaterThan(8);
    // Refresh tokens are matched against their shape before any query; they are not text.
    expect(unguarded.sort()).toEqual(['POST /auth/logout body/refreshToken', 'POST /auth/refresh body/refreshToken']);
  });
});
