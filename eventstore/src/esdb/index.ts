export { createEsdbEventStore, normalizeConnectionString, type EsdbEventStoreOptions } from './store.ts';
