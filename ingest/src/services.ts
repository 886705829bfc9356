import { openEventStore, type EventStore } from '@reeltime/eventstore';
import type { Logger } from 'pino';
import type { IngestSettings } from './settings.ts';
import { openProgressStore, type ProgressStore } from './sync/progress-store.ts';

export type Services = { store: EventStore; progress: ProgressStore; close(): Promise<void> };

/** The event store from the shared settings, and the sync progress tables (schema `ingest`) in the same database. */
export async function openServices(settings: IngestSettings, log: Logger): Promise<Services> {
  const store = await openEventStore(settings.store, (error) => log.warn({ err: error }, 'event store'));
  try {
    const progress = await openProgressStore({ connectionString: settings.store.databaseUrl, schema: settings.schema });
    return {
      store,
      progress,
      async close() {
        await Promise.allSettled([store.close(), progress.close()]);
      },
    };
  } catch (error) {
    await store.close();
    throw error;
  }
}
