import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCommandApi, type CommandApiHarness } from './testing/api.testing.ts';

let api: CommandApiHarness;
beforeAll(async () => {
  api = await startCommandApi();
});
afterAll(() => api.close());

describe('OpenAPI document', () => {
  it('lists every command-api route of api.md with its body and answers', async () => {
    const { status, body } = await api.call('GET', '/docs/json');
    expect(status).toBe(200);
    const operations = Object.entries(
      body.paths as Record<string, Record<string, { requestBody?: unknown; responses: Record<string, unknown> }>>,
    ).flatMap(([path, methods]) =>
      Object.entries(methods).map(([method, operation]) => ({ route: `${method.toUpperCase()} ${path}`, operation })),
    );
    const routes = operations.map((o) => o.route);
    expect(routes).toEqual(
      expect.arrayContaining([
        'POST /auth/register',
        'POST /auth/login',
        'POST /auth/refresh',
        'POST /auth/logout',
        'DELETE /me',
        'POST /lists',
        'PATCH /lists/{listId}',
        'DELETE /lists/{listId}',
        'POST /lists/{listId}/items',
        'DELETE /lists/{listId}/items/{titleId}',
        'PUT /lists/{listId}/order',
        'PUT /ratings/{titleId}',
        'DELETE /ratings/{titleId}',
        'POST /diary',
        'PUT /preferences',
      ]),
    );
    for (const { route, operation } of operations) {
      if (/^(POST|PUT|PATCH) /.test(route)) expect(operation.requestBody, route).toBeDefined();
      expect(
        Object.keys(operation.responses).some((code) => code.startsWith('2')),
        route,
      ).toBe(true);
    }
    expect(routes.filter((route) => route.includes('/health') || route.includes('/metrics'))).toEqual([]);
  });

  it('serves Swagger UI at /docs', async () => {
    const response = await fetch(`${api.baseUrl}/docs/`, { redirect: 'follow' });
    expect(response.status).toBe(200);
    expect(await response.text()).toContain('swagger');
  });
});
