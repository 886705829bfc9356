import { fileURLToPath } from 'node:url';
import { Type, type Static } from 'typebox';
import type { RecordedEvent } from '@reeltime/eventstore';
import { ImportSource, MAX_UNMATCHED_KEPT, UnmatchedRow, type ImportProgressUpdate } from '@reeltime/schemas';
import { channels, type Notices } from '../model/notices.ts';
import type { Projection } from '../model/projection.ts';
import { flushTable, ident, type Queryable, type TableSpec } from '../model/sql.ts';
import { Table } from '../model/table.ts';
import { Nullable, PositionText, Timestamp, columnsOf } from '../model/types.ts';

// Import status (`GET /imports/:importId`) from the events of `import-<id>` streams, announced
// on the owner's `me` channel as `import.progress`.

export const ImportRow = Type.Object({
  import_id: Type.String(),
  user_id: Type.String(),
  source: ImportSource,
  file_name: Type.String(),
  status: Type.Enum(['running', 'completed', 'failed']),
  rows: Type.Integer(),
  matched: Type.Integer(),
  imported: Type.Integer(),
  already_present: Type.Integer(),
  unmatched_count: Type.Integer(),
  unmatched: Type.Array(UnmatchedRow),
  failure: Nullable(Type.String()),
  started_at: Timestamp,
  updated_at: Timestamp,
  position: PositionText,
});
export type ImportRow = Static<typeof ImportRow>;

const spec = { table: 'imports', columns: columnsOf(ImportRow), key: ['import_id'] } satisfies TableSpec<ImportRow>;

export type ImportsState = { imports: Table<ImportRow> };

const emptyState = (): ImportsState => ({
  imports: new Table<ImportRow>(
    'imports',
    (row) => row.import_id,
    (row) => row.user_id,
  ),
});

async function loadImports(db: Queryable, schema: string, events: readonly RecordedEvent[]): Promise<ImportsState> {
  const state = emptyState();
  const importIds = new Set<string>();
  const erased = new Set<string>();
  for (const event of events) {
    if (event.type === 'UserErased') erased.add(event.data.userId);
    else if (event.type.startsWith('Import')) importIds.add((event.data as { importId: string }).importId);
  }
  const { rows } = await db.query<ImportRow>(
    `SELECT * FROM ${ident(schema)}.imports WHERE import_id = ANY($1::text[]) OR user_id = ANY($2::text[])`,
    [[...importIds], [...erased]],
  );
  state.imports.seedRows(
    rows.map((row) => ({ ...row, started_at: new Date(row.started_at).toISOString(), updated_at: new Date(row.updated_at).toISOString() })),
  );
  state.imports.seedMissing(importIds);
  return state;
}

function announce(notices: Notices, event: RecordedEvent, row: ImportRow): void {
  notices.note(event, channels.me(row.user_id), (): ImportProgressUpdate => ({
    type: 'import.progress',
    importId: row.import_id,
    status: row.status,
    source: row.source,
    rows: row.rows,
    matched: row.matched,
    imported: row.imported,
    alreadyPresent: row.already_present,
    unmatchedCount: row.unmatched_count,
  }));
}

export function applyImports(state: ImportsState, event: RecordedEvent, notices: Notices): void {
  if (event.type === 'UserErased') {
    for (const row of state.imports.inGroup(event.data.userId)) state.imports.delete(row.import_id);
    return;
  }
  const at = { updated_at: event.occurredAt, position: event.position };
  if (event.type === 'ImportStarted') {
    const { importId, userId, source, fileName, rows } = event.data;
    if (state.imports.get(importId) !== undefined) return;
    const row: ImportRow = {
      import_id: importId,
      user_id: userId,
      source,
      file_name: fileName,
      status: 'running',
      rows,
      matched: 0,
      imported: 0,
      already_present: 0,
      unmatched_count: 0,
      unmatched: [],
      failure: null,
      started_at: event.occurredAt,
      ...at,
    };
    state.imports.put(row);
    announce(notices, event, row);
    return;
  }
  if (event.type !== 'ImportProgressed' && event.type !== 'ImportCompleted' && event.type !== 'ImportFailed') return;
  const row = state.imports.get(event.data.importId);
  // The owner is the one who started it; an erased owner's import stays gone.
  if (row === undefined || row.user_id !== event.data.userId) return;
  let next: ImportRow;
  if (event.type === 'ImportFailed') {
    next = { ...row, ...at, status: 'failed', failure: event.data.reason };
  } else {
    const { matched, imported, alreadyPresent, unmatchedCount } = event.data;
    next = { ...row, ...at, matched, imported, already_present: alreadyPresent, unmatched_count: unmatchedCount };
    if (event.type === 'ImportCompleted') next.status = 'completed';
    else if (event.data.unmatched.length > 0) {
      // A restarted import reports its rows again: one entry per file and line.
      const seen = new Set(row.unmatched.map((u) => `${u.file}|${u.line}`));
      const added = event.data.unmatched.filter((u) => !seen.has(`${u.file}|${u.line}`));
      next.unmatched = [...row.unmatched, ...added].slice(0, MAX_UNMATCHED_KEPT);
    }
  }
  state.imports.put(next);
  announce(notices, event, next);
}

export const importsProjection: Projection<ImportsState> = {
  name: 'imports',
  version: 1,
  eventTypes: ['ImportStarted', 'ImportProgressed', 'ImportCompleted', 'ImportFailed', 'UserErased'],
  migrations: fileURLToPath(new URL('./migrations', import.meta.url)),
  views: { imports: 'SELECT * FROM {schema}.imports' },
  load: loadImports,
  apply: applyImports,
  flush: (db, schema, state) => flushTable(db, schema, spec, state.imports.changes()),
  flushOnlyWrites: true,
};
