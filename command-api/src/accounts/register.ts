import { randomUUID } from 'node:crypto';
import type { EventMetadataInput, EventStore, NewEvent } from '@reeltime/eventstore';
import type { PostgresEventStore } from '@reeltime/eventstore/postgres';
import { inTransaction } from '@reeltime/eventstore/transactions';
import { fold } from '@reeltime/decider';
import { listStream, userStream } from '@reeltime/schemas';
import type pg from 'pg';
import { listDecider } from '../lists/index.ts';
import { normalizeEmail, type AccountStore } from './account-store.ts';

export type AccountWriterDeps = {
  store: EventStore;
  accounts: AccountStore;
  /** Pool of the database holding the account tables (the store's own pool on PostgreSQL). */
  pool: pg.Pool;
};

export type StreamWrite = { stream: string; events: NewEvent[]; expectedVersion: 'no_stream' | 'stream_exists' | 'any' };

function hasAppendWithin(store: EventStore): store is PostgresEventStore {
  return typeof (store as Partial<PostgresEventStore>).appendWithin === 'function';
}

/**
 * Runs `write` (account rows) and appends `streams` atomically: in one transaction with the
 * PostgreSQL store; with another store, the rows commit first and are undone if the append fails.
 */
export async function writeWithEvents(
  deps: AccountWriterDeps,
  write: (db: pg.PoolClient) => Promise<void>,
  streams: readonly StreamWrite[],
  undo: () => Promise<void>,
): Promise<string> {
  const { store } = deps;
  if (hasAppendWithin(store)) {
    return inTransaction(store.pool, async (client) => {
      await write(client);
      let position = store.startPosition;
      for (const { stream, events, expectedVersion } of streams)
        position = (await store.appendWithin(client, stream, events, { expectedVersion })).position;
      return position;
    });
  }
  await inTransaction(deps.pool, write);
  let position = store.startPosition;
  try {
    for (const { stream, events, expectedVersion } of streams)
      position = (await store.appendToStream(stream, events, { expectedVersion })).position;
    return position;
  } catch (error) {
    await undo();
    throw error;
  }
}

export type NewAccount = {
  userId: string;
  /** Id of the system watchlist every account gets. */
  watchlistId: string;
  email: string;
  /** From `hashPassword`, or a hash no password matches (an account that cannot sign in). */
  passwordHash: string;
  displayName: string;
  /** Metadata of the registration's events; `userId` is the new account's. */
  metadata: Omit<EventMetadataInput, 'userId'> & { correlationId: string; causationId: string; occurredAt: string };
  /**
   * Id of the `index`-th event (0-based) appended to `stream`; default random. Stable ids make
   * a retried registration recognisable as already stored.
   */
  eventId?: (stream: string, index: number) => string;
};

export type Registration = { kind: 'registered'; userId: string; position: string } | { kind: 'email_taken' };

/** The events a registration appends: `UserRegistered` and the watchlist the list decider creates. Pure. */
export function registrationWrites(account: NewAccount): StreamWrite[] {
  const { userId, watchlistId, displayName } = account;
  const metadata = { ...account.metadata, userId };
  const watchlist = listDecider.decide(
    {
      type: 'CreateList',
      listId: watchlistId,
      actorId: userId,
      ownerId: userId,
      name: 'Watchlist',
      kind: 'watchlist',
      visibility: 'private',
    },
    fold(listDecider, []),
  );
  const writes: StreamWrite[] = [
    {
      stream: userStream(userId),
      events: [{ type: 'UserRegistered', data: { userId, displayName }, metadata }],
      expectedVersion: 'no_stream',
    },
    { stream: listStream(watchlistId), events: watchlist.map((event) => ({ ...event, metadata })), expectedVersion: 'no_stream' },
  ];
  const eventId = account.eventId ?? (() => randomUUID());
  return writes.map((write) => ({
    ...write,
    events: write.events.map((event, index) => ({ ...event, eventId: eventId(write.stream, index) })),
  }));
}

const EmailTaken = Symbol('email taken');

/**
 * Registers an account: the credentials row and the registration's events, written together
 * (see `writeWithEvents`). An email already in use appends nothing.
 */
export async function registerAccount(deps: AccountWriterDeps, account: NewAccount): Promise<Registration> {
  const { accounts } = deps;
  const { userId, passwordHash, displayName } = account;
  const email = normalizeEmail(account.email);
  try {
    const position = await writeWithEvents(
      deps,
      async (db) => {
        if ((await accounts.insert(db, { userId, email, passwordHash, displayName })) === 'email_taken') throw EmailTaken;
      },
      registrationWrites(account),
      async () => void (await accounts.erase(deps.pool, userId)),
    );
    return { kind: 'registered', userId, position };
  } catch (error) {
    if (error === EmailTaken) return { kind: 'email_taken' };
    throw error;
  }
}
