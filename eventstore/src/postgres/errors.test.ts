import { describe, expect, it } from 'vitest';
import { EventStoreUnavailableError } from '../errors.ts';
import { createPostgresEventStore } from './store.ts';
import { toStoreError } from './errors.ts';

describe('PostgreSQL errors', () => {
  it('turns connection trouble into the retryable unavailable error', () => {
    expect(toStoreError(Object.assign(new Error('refused'), { code: 'ECONNREFUSED' }), 'x')).toBeInstanceOf(EventStoreUnavailableError);
    expect(toStoreError(Object.assign(new Error('shutdown'), { code: '57P01' }), 'x')).toBeInstanceOf(EventStoreUnavailableError);
    const other = Object.assign(new Error('syntax'), { code: '42601' });
    expect(toStoreError(other, 'x')).toBe(other);
  });

  it('says the store is unavailable when nothing listens at the address', async () => {
    await expect(
      createPostgresEventStore({ connectionString: 'postgres://postgres@127.0.0.1:1/none', schema: 'es_unreachable' }),
    ).rejects.toBeInstanceOf(EventStoreUnavailableError);
  });
});
