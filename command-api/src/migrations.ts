import { fileURLToPath } from 'node:url';
import { migrate } from '@reeltime/eventstore/postgres';
import type pg from 'pg';

const DIRECTORY = fileURLToPath(new URL('./accounts/migrations', import.meta.url));

export function migrateCommandTables(pool: pg.Pool, schema: string): Promise<string[]> {
  return migrate(pool, { schema, directory: DIRECTORY });
}
