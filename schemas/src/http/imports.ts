import { Type, type Static } from 'typebox';
import { IsoDateTime } from '../ids.ts';
import { ImportId, ImportSource, UnmatchedRow } from '../events/imports.ts';
import { PositionToken } from './queries.ts';

// `POST /imports` (command-api) and `GET /imports/:importId` (query-api). Browser-safe: schemas only.

export const ImportAccepted = Type.Object({
  importId: ImportId,
  position: PositionToken,
});
export type ImportAccepted = Static<typeof ImportAccepted>;

export const ImportParams = Type.Object({ importId: ImportId });
export type ImportParams = Static<typeof ImportParams>;

export const ImportState = Type.Enum(['running', 'completed', 'failed']);
export type ImportState = Static<typeof ImportState>;

const Count = Type.Integer({ minimum: 0 });

/** Counters: `rows` = `imported` + `alreadyPresent` + `unmatchedCount`; `matched` = `imported` + `alreadyPresent`. */
export const ImportCounters = Type.Object({
  rows: Count,
  matched: Count,
  imported: Type.Integer({ minimum: 0, description: 'Rows that added or changed something' }),
  alreadyPresent: Type.Integer({ minimum: 0, description: 'Rows whose activity you already had (an earlier import, or your own)' }),
  unmatchedCount: Count,
});

export const ImportStatus = Type.Object({
  importId: ImportId,
  status: ImportState,
  source: ImportSource,
  fileName: Type.String(),
  ...ImportCounters.properties,
  unmatched: Type.Array(UnmatchedRow, { description: 'The first 1,000 rows not imported, with the reason for each' }),
  failure: Type.Union([Type.String(), Type.Null()]),
  startedAt: IsoDateTime,
  updatedAt: IsoDateTime,
});
export type ImportStatus = Static<typeof ImportStatus>;
