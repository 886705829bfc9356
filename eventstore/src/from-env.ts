import type { EventStore } from './port.ts';

/** Settings every service reads to reach the event store. */
export type EventStoreSettings = {
  kind: 'postgres' | 'esdb';
  databaseUrl: string;
  schema: string;
  eventStoreUrl: string | undefined;
  poolSize: number;
};

export const DEFAULT_DATABASE_URL = 'postgres://postgres@127.0.0.1:5432/reeltime';

export function eventStoreSettings(env: NodeJS.ProcessEnv = process.env): EventStoreSettings {
  const kind = (env.EVENT_STORE ?? 'postgres').toLowerCase();
  if (kind !== 'postgres' && kind !== 'esdb') {
    throw new Error(`EVENT_STORE must be 'postgres' or 'esdb', not '${env.EVENT_STORE}'`);
  }
  if (kind === 'esdb' && !env.EVENTSTORE_URL) throw new Error('EVENT_STORE=esdb needs EVENTSTORE_URL (e.g. esdb://localhost:2113?tls=false)');
  const poolSize = Number(env.EVENTSTORE_POOL_SIZE ?? 16);
  if (!Number.isInteger(poolSize) || poolSize < 1) throw new Error('EVENTSTORE_POOL_SIZE must be a positive integer');
  return {
    kind,
    databaseUrl: env.DATABASE_URL ?? DEFAULT_DATABASE_URL,
    schema: env.EVENTSTORE_SCHEMA ?? 'eventstore',
    eventStoreUrl: env.EVENTSTORE_URL,
    poolSize,
  };
}

/** The adapter the settings name; the PostgreSQL one applies its migrations first. */
export async function openEventStore(settings: EventStoreSettings, onError?: (error: Error) => void): Promise<EventStore> {
  if (settings.kind === 'esdb') {
    const { createEsdbEventStore } = await import('./esdb/index.ts');
    return createEsdbEventStore({ url: settings.eventStoreUrl!, onError });
  }
  const { createPostgresEventStore } = await import('./postgres/index.ts');
  return createPostgresEventStore({
    connectionString: settings.databaseUrl,
    schema: settings.schema,
    poolSize: settings.poolSize,
    onError,
  });
}
