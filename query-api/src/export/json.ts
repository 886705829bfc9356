import type { ExportDocument, ExportList } from '@reeltime/schemas';
import { preferencesQuery, toPreferencesView, type PreferencesRow } from '../me/history.ts';
import type { ExportSnapshot } from './snapshot.ts';
import {
  diaryQuery,
  listItemsQuery,
  ratingsQuery,
  toExportDiaryEntry,
  toExportListItem,
  toExportRating,
  type DiaryRow,
  type ListItemRow,
  type ProfileRow,
  type RatingRow,
  type TitleRow,
} from './rows.ts';

type ListHead = Omit<ExportList, 'items'>;

const listHead = (row: ListItemRow): ListHead => ({
  listId: row.list_id,
  kind: row.kind,
  name: row.name,
  description: row.description,
  visibility: row.visibility,
  createdAt: row.created_at,
  updatedAt: row.updated_at,
});

/** `{...head,"items":[` — the object's text without its closing brace, items to follow. */
const openList = (head: ListHead) => `${JSON.stringify(head).slice(0, -1)},"items":[`;

/**
 * The JSON export (schema `ExportDocument`), as text chunks of about one batch of rows each:
 * the document is written in order while the cursors are read, never built whole. Each value is
 * `JSON.stringify`'d on its own; only the brackets and commas between them are written here.
 */
export async function* exportJson(snapshot: ExportSnapshot, profile: ProfileRow, exportedAt: string): AsyncGenerator<string> {
  const preferences = toPreferencesView((await snapshot.rows<PreferencesRow>(preferencesQuery(snapshot.read, profile.user_id)))[0]);
  const head: Pick<ExportDocument, 'format' | 'version' | 'exportedAt' | 'profile' | 'preferences'> = {
    format: 'reeltime-export',
    version: 1,
    exportedAt,
    profile: { userId: profile.user_id, displayName: profile.display_name, registeredAt: profile.registered_at },
    preferences,
  };
  yield `${JSON.stringify(head).slice(0, -1)},"lists":[`;

  let listId: string | undefined;
  let position = 0;
  for await (const batch of snapshot.batches<ListItemRow>(listItemsQuery(snapshot.read, profile.user_id))) {
    let text = '';
    for (const row of batch) {
      if (row.list_id !== listId) {
        text += `${listId === undefined ? '' : ']},'}${openList(listHead(row))}`;
        listId = row.list_id;
        position = 0;
      }
      if (row.title_id !== null)
        text += `${position === 0 ? '' : ','}${JSON.stringify(toExportListItem(row as ListItemRow & TitleRow, ++position))}`;
    }
    yield text;
  }
  yield `${listId === undefined ? '' : ']}'}],"ratings":[`;
  yield* elements(snapshot.batches<RatingRow>(ratingsQuery(snapshot.read, profile.user_id)), toExportRating);
  yield '],"diary":[';
  yield* elements(snapshot.batches<DiaryRow>(diaryQuery(snapshot.read, profile.user_id)), toExportDiaryEntry);
  yield ']}\n';
}

/** The comma-separated elements of a JSON array, one chunk per batch. */
async function* elements<R>(batches: AsyncIterable<R[]>, toValue: (row: R) => unknown): AsyncGenerator<string> {
  let first = true;
  for await (const batch of batches) {
    const text = batch.map((row) => JSON.stringify(toValue(row))).join(',');
    yield first ? text : `,${text}`;
    first = false;
  }
}
