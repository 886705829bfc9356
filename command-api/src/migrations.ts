import { fileURLToPath } from 'node:url';
import { migrate } from '@reeltime/eventstore/postgres';
import type pg from 'pg';

const DIRECTORIES = [
  fileURLToPath(new URL('./accounts/migrations', import.meta.url)),
  fileURLToPath(new URL('./imports/migrations', import.meta.url)),
];

/** Each folder numbers its files in its own range (accounts 001-099, imports 100-199): one version sequence per schema. */
export async function migrateCommandTables(pool: pg.Pool, schema: string): Promise<string[]> {
  const applied: string[] = [];
  for (const directory of DIRECTORIES) applied.push(...(await migrate(pool, { schema, directory })));
  return applied;
}
