import type { ListPage, ListSummary, ListView } from '@reeltime/schemas';
import { iso, type ReadDb } from '../db.ts';
import { afterKey, decodeCursor, keyColumns, orderBy, page, type SortKey } from '../paging/cursor.ts';
import { SUMMARY_COLUMNS, toSummary, type SummaryRow } from '../titles/summary.ts';

const LIST_COLUMNS = `l.list_id, l.owner_id, u.display_name, l.name, l.description, l.visibility, l.kind, l.item_count, l.version,
  ${iso('l.created_at')} AS created_at, ${iso('l.updated_at')} AS updated_at`;

type ListRow = {
  list_id: string;
  owner_id: string;
  display_name: string | null;
  name: string;
  description: string;
  visibility: 'private' | 'public';
  kind: 'watchlist' | 'custom';
  item_count: number;
  version: number;
  created_at: string;
  updated_at: string;
};

const toList = (row: ListRow): ListSummary => ({
  listId: row.list_id,
  ownerId: row.owner_id,
  ownerName: row.display_name,
  name: row.name,
  description: row.description,
  visibility: row.visibility,
  kind: row.kind,
  itemCount: row.item_count,
  version: row.version,
  createdAt: row.created_at,
  updatedAt: row.updated_at,
});

/** The watchlist first, then by creation (READMODELS.md). */
const LIST_ORDER: SortKey[] = [
  { expr: `(l.kind = 'watchlist')::int`, dir: 'desc', type: 'int' },
  { expr: 'l.created_at', dir: 'asc', type: 'timestamptz' },
  { expr: 'l.list_id', dir: 'asc', type: 'text' },
];

export async function listsOf(
  db: ReadDb,
  ownerId: string,
  options: { publicOnly: boolean; limit: number; cursor?: string },
): Promise<ListPage> {
  const values: unknown[] = [ownerId, options.publicOnly];
  const after = decodeCursor(options.cursor, 'lists', LIST_ORDER);
  const condition = after ? `AND ${afterKey(LIST_ORDER, after, values)}` : '';
  values.push(options.limit + 1);
  const sql = `SELECT ${LIST_COLUMNS}, ${keyColumns(LIST_ORDER)}
       FROM read.lists l LEFT JOIN read.users u ON u.user_id = l.owner_id
      WHERE l.owner_id = $1 AND (NOT $2::boolean OR l.visibility = 'public') ${condition}
      ORDER BY ${orderBy(LIST_ORDER)} LIMIT $${values.length}`;
  // The first page is the hot path (every screen of the app shows "my lists"): prepare it.
  const rows = after
    ? await db.query<ListRow & Record<string, unknown>>(sql, values)
    : await db.prepared<ListRow & Record<string, unknown>>(sql, values);
  return page(rows, options.limit, 'lists', LIST_ORDER.length, toList);
}

export async function userExists(db: ReadDb, userId: string): Promise<boolean> {
  return (await db.prepared('SELECT 1 FROM read.users WHERE user_id = $1', [userId])).length > 0;
}

const ITEM_ORDER: SortKey[] = [
  { expr: 'i.ord', dir: 'asc', type: 'int' },
  { expr: 'i.title_id', dir: 'asc', type: 'text' },
];

type ItemRow = SummaryRow & { title_id: string; note: string | null; added_at: string } & Record<string, unknown>;

/** A list as `viewerId` may see it: public, or theirs; anything else is "not found". */
export async function listView(
  db: ReadDb,
  listId: string,
  viewerId: string | undefined,
  options: { limit: number; cursor?: string },
): Promise<ListView | undefined> {
  const lists = await db.prepared<ListRow>(
    `SELECT ${LIST_COLUMNS} FROM read.lists l LEFT JOIN read.users u ON u.user_id = l.owner_id WHERE l.list_id = $1`,
    [listId],
  );
  const list = lists[0];
  if (!list || (list.visibility !== 'public' && list.owner_id !== viewerId)) return undefined;
  const values: unknown[] = [listId];
  const after = decodeCursor(options.cursor, 'items', ITEM_ORDER);
  const condition = after ? `AND ${afterKey(ITEM_ORDER, after, values)}` : '';
  values.push(options.limit + 1);
  const rows = await db.query<ItemRow>(
    `SELECT i.title_id, i.note, ${iso('i.added_at')} AS added_at, ${SUMMARY_COLUMNS}, ${keyColumns(ITEM_ORDER)}
       FROM read.list_items i
       LEFT JOIN read.titles t ON t.title_id = i.title_id
       LEFT JOIN read.title_stats s ON s.title_id = i.title_id
      WHERE i.list_id = $1 ${condition}
      ORDER BY ${orderBy(ITEM_ORDER)} LIMIT $${values.length}`,
    values,
  );
  const items = page(rows, options.limit, 'items', ITEM_ORDER.length, (row) => ({
    title: toSummary(row, row.title_id),
    note: row.note,
    addedAt: row.added_at,
  }));
  return { ...toList(list), ...items };
}
