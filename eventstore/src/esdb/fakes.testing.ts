import { randomUUID } from 'node:crypto';
import type { AllStreamResolvedEvent } from '@kurrent/kurrentdb-client';

/*
 * Test doubles shaped like what @kurrent/kurrentdb-client 1.3.1 hands back, so the adapter's
 * logic runs in unit tests without a server. Only used by *.test.ts files.
 */

export type FakeEventInput = {
  stream?: string;
  revision?: bigint;
  type?: string;
  commit: bigint;
  prepare?: bigint;
  id?: string;
  metadata?: unknown;
  isJson?: boolean;
};

export function fakeResolved(input: FakeEventInput): AllStreamResolvedEvent {
  const id = input.id ?? randomUUID();
  const type = input.type ?? 'ListItemAdded';
  return {
    event: {
      streamId: input.stream ?? 'list-1',
      id,
      isJson: input.isJson ?? true,
      revision: input.revision ?? 0n,
      type,
      created: new Date(0),
      data: { listId: '8c1f8a53-7a43-4f0e-9a57-0d0a3c8f2a10', titleId: 'movie:1' },
      metadata:
        input.metadata === undefined
          ? { schemaVersion: 1, occurredAt: '2024-01-01T00:00:00.000Z', correlationId: id, causationId: id, userId: null }
          : input.metadata,
      position: { commit: input.commit, prepare: input.prepare ?? input.commit },
    },
    commitPosition: input.commit,
  } as AllStreamResolvedEvent;
}

/** What `readAll` / `readStream` return: an async iterator over resolved events. */
export async function* fakeRead<T>(items: readonly T[], error?: Error): AsyncIterableIterator<T> {
  for (const item of items) yield item;
  if (error) throw error;
}

/** A client error as the package builds it: an Error carrying a `type` tag. */
export function clientError(type: string, extra: Record<string, unknown> = {}): Error {
  return Object.assign(new Error(type), { type, ...extra });
}
