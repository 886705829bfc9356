import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import type pg from 'pg';
import { onClientInTransaction } from '../transactions.ts';

export type MigrationOptions = {
  /** Schema the migrations create their objects in (made if missing). */
  schema: string;
  /** Folder of `NNN_name.sql` files, applied in order, each once. */
  directory: string;
};

const SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,62}$/;

export function assertSchemaName(schema: string): string {
  if (!SCHEMA_NAME.test(schema)) throw new TypeError(`invalid schema name: ${schema}`);
  return schema;
}

/**
 * Applies pending versioned SQL migrations under an advisory lock, so two processes starting
 * at once neither race nor apply a file twice: the second waits, then finds nothing to do.
 */
export async function migrate(pool: pg.Pool, { schema, directory }: MigrationOptions): Promise<string[]> {
  assertSchemaName(schema);
  const files = (await readdir(directory)).filter((f) => /^\d+_.+\.sql$/.test(f)).sort();
  const client = await pool.connect();
  const applied: string[] = [];
  try {
    await client.query('SELECT pg_advisory_lock(hashtext($1))', [`reeltime:migrate:${schema}`]);
    try {
      await client.query(`CREATE SCHEMA IF NOT EXISTS ${schema}`);
      await client.query(
        `CREATE TABLE IF NOT EXISTS ${schema}.schema_migrations (
           version integer PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())`,
      );
      const { rows } = await client.query<{ version: number }>(`SELECT version FROM ${schema}.schema_migrations`);
      const done = new Set(rows.map((r) => r.version));
      for (const file of files) {
        const version = Number.parseInt(file, 10);
        if (done.has(version)) continue;
        const sql = await readFile(path.join(directory, file), 'utf8');
        try {
          await onClientInTransaction(client, async () => {
            await client.query(`SET LOCAL search_path TO ${schema}`);
            await client.query(sql);
            await client.query(`INSERT INTO ${schema}.schema_migrations (version, name) VALUES ($1, $2)`, [version, file]);
          });
        } catch (error) {
          throw new Error(`migration ${file} failed: ${(error as Error).message}`, { cause: error });
        }
        applied.push(file);
      }
    } finally {
      await client.query('SELECT pg_advisory_unlock(hashtext($1))', [`reeltime:migrate:${schema}`]);
    }
  } finally {
    client.release();
  }
  return applied;
}
