import type { EventStore } from './port.ts';

/** Where the store is: every process reads it from the environment with `eventStoreEnv` (`@reeltime/platform/config`). */
export type EventStoreSettings = {
  kind: 'postgres' | 'esdb';
  databaseUrl: string;
  schema: string;
  eventStoreUrl: string | undefined;
  poolSize: number;
};

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
