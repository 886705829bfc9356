import { describe, expect, it } from 'vitest';
import { describeEventStoreContract } from '../contract/suite.ts';
import type { ContractHarness } from '../contract/harness.ts';
import { runTorture } from '../contract/torture.ts';
import { dropSchema, postgresUrlForTests, uniqueSchemaName } from '../testing/services.ts';
import { createPostgresEventStore, type PostgresEventStore } from './store.ts';
import { SequenceOnlyReader } from './sequence-only-reader.testing.ts';

async function postgresHarness(): Promise<ContractHarness & { store: PostgresEventStore; url: string; schema: string }> {
  const url = await postgresUrlForTests();
  const schema = uniqueSchemaName('es_contract');
  const store = await createPostgresEventStore({ connectionString: url, schema, poolSize: 24, idlePollMs: 200, exactCountLimit: 1000 });
  return {
    url,
    schema,
    store,
    appendHeldOpen: async (stream, events, options, { holdMs, rollback }) => {
      const client = await store.pool.connect();
      try {
        await client.query('BEGIN');
        const result = await store.appendWithin(client, stream, events, options);
        if (holdMs > 0) await new Promise((r) => setTimeout(r, holdMs));
        await client.query(rollback ? 'ROLLBACK' : 'COMMIT');
        return rollback ? 'rolled_back' : result;
      } catch (error) {
        await client.query('ROLLBACK');
        throw error;
      } finally {
        client.release();
      }
    },
    cleanup: async () => {
      await store.close();
      await dropSchema(url, schema);
    },
  };
}

describeEventStoreContract('PostgreSQL', postgresHarness, { eventIdsUniqueAcrossStreams: true });

describe('the torture test', () => {
  it('catches a reader that orders by the global sequence alone', async () => {
    const harness = await postgresHarness();
    try {
      const report = await runTorture(harness, {
        writers: 16,
        appendsPerWriter: 25,
        settleMs: 1000,
        subscribe: (from) => new SequenceOnlyReader(harness.store.pool, from),
      });
      expect(report.problems.some((p) => p.includes('never seen'))).toBe(true);
    } finally {
      await harness.cleanup();
    }
  }, 120_000);
});
