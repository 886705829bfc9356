import { expect } from 'vitest';
import { form } from '@reeltime/command-api/src/imports/fixtures.testing.ts';
import { eventually } from '@reeltime/projector/src/testing/harness.ts';
import type { QueryApiInstance, Session, Stack } from '../testing/stack.ts';

// What the round-trip tests (export, then import) do as people: write, read what they wrote,
// download their export and upload one. Reads wait for the last position each person wrote or saw.

export function roundTrip(stack: Stack, api: QueryApiInstance) {
  const seen = new Map<string, string>();

  async function read(person: Session, path: string) {
    const answer = await api.get(path, { token: person.accessToken, headers: { 'x-min-position': seen.get(person.userId) ?? '' } });
    if (answer.status !== 200) throw new Error(`GET ${path}: ${answer.status} ${JSON.stringify(answer.body)}`);
    return answer.body;
  }

  async function command(person: Session, method: string, path: string, body?: unknown) {
    const answer = await stack.command(method, path, { token: person.accessToken, body });
    if (answer.status >= 300) throw new Error(`${method} ${path}: ${answer.status} ${JSON.stringify(answer.body)}`);
    if (answer.body?.position) seen.set(person.userId, answer.body.position);
    return answer.body;
  }

  /** `GET /me/export?format=…` once the read models have caught up (a busy machine may answer 503 first). */
  async function exported(person: Session, format: 'json' | 'letterboxd'): Promise<Uint8Array> {
    return eventually(async () => {
      const response = await fetch(`${api.baseUrl}/me/export?format=${format}`, {
        headers: { authorization: `Bearer ${person.accessToken}`, 'x-min-position': seen.get(person.userId) ?? '' },
      });
      expect(response.status).toBe(200);
      return new Uint8Array(await response.arrayBuffer());
    }, 60_000);
  }

  /** `POST /imports`, then its status once it has ended; the person's reads then see what it wrote. */
  async function imported(person: Session, name: string, content: Uint8Array) {
    const upload = await fetch(`${stack.commandUrl}/imports`, {
      method: 'POST',
      headers: { authorization: `Bearer ${person.accessToken}` },
      body: form(name, content),
    });
    expect(upload.status).toBe(202);
    const { importId, position } = (await upload.json()) as { importId: string; position: string };
    return eventually(async () => {
      const answer = await api.get(`/imports/${importId}`, { token: person.accessToken, headers: { 'x-min-position': position } });
      expect(answer.status).toBe(200);
      expect(answer.body.status).not.toBe('running');
      seen.set(person.userId, answer.headers.get('x-position')!);
      return answer.body;
    }, 60_000);
  }

  return { seen, read, command, exported, imported };
}
