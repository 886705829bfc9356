export {
  createPostgresEventStore,
  MIGRATIONS_DIRECTORY,
  type PostgresEventStore,
  type PostgresEventStoreOptions,
  type StreamAppendInput,
} from './store.ts';
export { migrate, assertSchemaName, type MigrationOptions } from './migrate.ts';
