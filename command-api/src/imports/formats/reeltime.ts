import { compileValidator, ExportDocument, type ExportTitle } from '@reeltime/schemas';
import { describeTitle, ImportFileError, type ImportedList, type ImportRow, type RowAction } from '../rows.ts';

// Reeltime's own JSON export (`GET /me/export?format=json`, schema `ExportDocument`): moving
// between instances or restoring an account without the Letterboxd zip's losses (series, list
// visibility, spoiler flags, preferences). Its title ids are ours, so rows carry the TMDb id and
// media type they are made of and match exactly, or through ingest's find by TMDb id.

const isExportDocument = compileValidator(ExportDocument);

/** Whether a parsed JSON file says it is our export (it is then validated, never guessed at). */
export const claimsReeltimeExport = (value: unknown): boolean =>
  typeof value === 'object' && value !== null && (value as { format?: unknown }).format === 'reeltime-export';

/** The export's rows, or `ImportFileError` naming where the document departs from the schema. */
export function reeltimeRows(file: string, value: unknown): ImportRow[] {
  if (!isExportDocument.Check(value)) {
    const [issue] = isExportDocument.Issues(value);
    const where = issue?.path ? ` (${issue.path} ${issue.message})` : '';
    throw new ImportFileError(file, 0, `is not a Reeltime export: it does not match the export's schema${where}`);
  }
  const document = value;
  const rows: ImportRow[] = [];
  // JSON has no useful lines: rows are reported by what they name (line 0, as the schema allows).
  const row = (title: ExportTitle, key: string, action: RowAction): ImportRow => {
    const imported: ImportRow = {
      file,
      line: 0,
      text: describeTitle(title.title ?? title.titleId, title.year ?? undefined),
      key,
      tmdbId: title.tmdbId,
      mediaType: title.mediaType,
      action,
    };
    // No name or year: our ids are exact, and a title the catalog lacks is fetched by its TMDb id,
    // never guessed at by name.
    if (title.imdbId !== null) imported.imdbId = title.imdbId;
    return imported;
  };

  const { preferences, profile } = document;
  rows.push({
    file,
    line: 0,
    text: 'preferences',
    key: 'preferences',
    action: {
      kind: 'preferences',
      preferences: {
        genres: preferences.genres,
        people: preferences.people,
        languages: preferences.languages,
        mediaTypes: preferences.mediaTypes,
      },
    },
  });
  for (const exported of document.lists) {
    const list: ImportedList = {
      key: `reeltime-list|${exported.listId}`,
      name: exported.name,
      description: exported.description,
      visibility: exported.visibility,
      own: { listId: exported.listId, ownerId: profile.userId },
    };
    // The watchlist is the account's own; any other list is a row of its own, empty or not.
    if (exported.kind !== 'watchlist')
      rows.push({ file, line: 0, text: `list "${exported.name}"`, key: list.key, action: { kind: 'listHead', list } });
    for (const item of exported.items) {
      const note = item.note ?? undefined;
      const action: RowAction = exported.kind === 'watchlist' ? { kind: 'watchlist' } : { kind: 'list', list, position: item.position };
      if (note !== undefined) action.note = note;
      rows.push(row(item, `${list.key}|${item.titleId}`, action));
    }
  }
  for (const rating of document.ratings) {
    const action: RowAction = { kind: 'rating', score: rating.score };
    if (rating.review !== null) Object.assign(action, { review: rating.review, containsSpoilers: rating.containsSpoilers });
    rows.push(row(rating, `rating|${rating.titleId}`, action));
  }
  for (const entry of document.diary) {
    rows.push(row(entry, `diary|${entry.entryId}`, { kind: 'watch', watchedOn: entry.watchedOn, rewatch: entry.rewatch }));
  }
  return rows;
}
