import type pg from 'pg';
import type { ImportSource } from '@reeltime/schemas';

export type StoredUpload = {
  importId: string;
  userId: string;
  source: ImportSource;
  fileName: string;
  content: Buffer;
  correlationId: string;
  attempts: number;
};

/** A run that has not said it is alive for this long belongs to a stopped process: take it over. */
const STALE_SECONDS = 60;

/** The command side's table of uploads waiting for or in their import (see migrations/100_imports.sql). */
export class UploadStore {
  constructor(
    private readonly pool: pg.Pool,
    private readonly schema: string,
  ) {}

  /** False when an upload with this id is there already (a retried request: the ids derive from its Idempotency-Key and file). */
  async insert(upload: Omit<StoredUpload, 'attempts'>): Promise<boolean> {
    const { rowCount } = await this.pool.query(
      `INSERT INTO ${this.schema}.imports (import_id, user_id, source, file_name, content, correlation_id) VALUES ($1, $2, $3, $4, $5, $6)
       ON CONFLICT (import_id) DO NOTHING`,
      [upload.importId, upload.userId, upload.source, upload.fileName, upload.content, upload.correlationId],
    );
    return rowCount === 1;
  }

  async remove(importId: string): Promise<void> {
    await this.pool.query(`DELETE FROM ${this.schema}.imports WHERE import_id = $1`, [importId]);
  }

  async runningCount(userId: string): Promise<number> {
    const { rows } = await this.pool.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM ${this.schema}.imports WHERE user_id = $1 AND status = 'running'`,
      [userId],
    );
    return rows[0]!.n;
  }

  /** Takes a running import for this process, unless another one is alive with it. */
  async claim(importId: string): Promise<StoredUpload | undefined> {
    const { rows } = await this.pool.query<{
      import_id: string;
      user_id: string;
      source: ImportSource;
      file_name: string;
      content: Buffer;
      correlation_id: string;
      attempts: number;
    }>(
      `UPDATE ${this.schema}.imports SET heartbeat_at = now(), attempts = attempts + 1
        WHERE import_id = $1 AND status = 'running' AND content IS NOT NULL
          AND (heartbeat_at IS NULL OR heartbeat_at < now() - make_interval(secs => $2))
        RETURNING import_id, user_id, source, file_name, content, correlation_id, attempts`,
      [importId, STALE_SECONDS],
    );
    const row = rows[0];
    if (row === undefined) return undefined;
    return {
      importId: row.import_id,
      userId: row.user_id,
      source: row.source,
      fileName: row.file_name,
      content: row.content,
      correlationId: row.correlation_id,
      attempts: row.attempts,
    };
  }

  async heartbeat(importId: string): Promise<void> {
    await this.pool.query(`UPDATE ${this.schema}.imports SET heartbeat_at = now() WHERE import_id = $1`, [importId]);
  }

  /** Lets the next `claim` take it at once (after a failure worth retrying). */
  async release(importId: string): Promise<void> {
    await this.pool.query(`UPDATE ${this.schema}.imports SET heartbeat_at = NULL WHERE import_id = $1`, [importId]);
  }

  /** The file is no longer needed once its import ended. */
  async finish(importId: string, status: 'completed' | 'failed'): Promise<void> {
    await this.pool.query(`UPDATE ${this.schema}.imports SET status = $2, content = NULL WHERE import_id = $1`, [importId, status]);
  }

  /** Imports left running by stopped processes. */
  async stale(): Promise<string[]> {
    const { rows } = await this.pool.query<{ import_id: string }>(
      `SELECT import_id FROM ${this.schema}.imports WHERE status = 'running' AND (heartbeat_at IS NULL OR heartbeat_at < now() - make_interval(secs => $1)) ORDER BY created_at LIMIT 100`,
      [STALE_SECONDS],
    );
    return rows.map((row) => row.import_id);
  }
}
