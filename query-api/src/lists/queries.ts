import type { ListPage, ListSummary, ListView } from '@reeltime/schemas';
import { sql } from 'slonik';
import { iso, type ReadDb } from '../db.ts';
import { afterKey, decodeCursor, keyColumns, orderBy, page, type SortKey } from '../paging/cursor.ts';
import { SUMMARY_COLUMNS, toSummary, type SummaryRow } from '../titles/summary.ts';

const LIST_COLUMNS = sql.fragment`l.list_id, l.owner_id, u.display_name, l.name, l.description, l.visibility, l.kind, l.item_count, l.version,
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
  { expr: sql.fragment`(l.kind = 'watchlist')::int`, dir: 'desc', type: 'int' },
  { expr: sql.fragment`l.created_at`, dir: 'asc', type: 'timestamptz' },
  { expr: sql.fragment`l.list_id`, dir: 'asc', type: 'text' },
];

export async function listsOf(
  db: ReadDb,
  ownerId: string,
  options: { publicOnly: boolean; limit: number; cursor?: string },
): Promise<ListPage> {
  const after = decodeCursor(options.cursor, 'lists', LIST_ORDER);
  const { lists, users } = db.read;
  const rows = await db.any<ListRow & Record<string, unknown>>(
    sql.unsafe`SELECT ${LIST_COLUMNS}, ${keyColumns(LIST_ORDER)}
       FROM ${lists} l LEFT JOIN ${users} u ON u.user_id = l.owner_id
      WHERE l.owner_id = ${ownerId} ${options.publicOnly ? sql.fragment`AND l.visibility = 'public'` : sql.fragment``}
            ${after ? sql.fragment`AND ${afterKey(LIST_ORDER, after)}` : sql.fragment``}
      ORDER BY ${orderBy(LIST_ORDER)} LIMIT ${options.limit + 1}`,
  );
  return page(rows, options.limit, 'lists', LIST_ORDER.length, toList);
}

export async function userExists(db: ReadDb, userId: string): Promise<boolean> {
  return (await db.any(sql.unsafe`SELECT 1 FROM ${db.read.users} WHERE user_id = ${userId}`)).length > 0;
}

const ITEM_ORDER: SortKey[] = [
  { expr: sql.fragment`i.ord`, dir: 'asc', type: 'int' },
  { expr: sql.fragment`i.title_id`, dir: 'asc', type: 'text' },
];

type ItemRow = SummaryRow & { title_id: string; note: string | null; added_at: string } & Record<string, unknown>;

/** A list as `viewerId` may see it: public, or theirs; anything else is "not found". */
export async function listView(
  db: ReadDb,
  listId: string,
  viewerId: string | undefined,
  options: { limit: number; cursor?: string },
): Promise<ListView | undefined> {
  const { lists, users, list_items, titles, title_stats } = db.read;
  const [list] = await db.any<ListRow>(
    sql.unsafe`SELECT ${LIST_COLUMNS} FROM ${lists} l LEFT JOIN ${users} u ON u.user_id = l.owner_id WHERE l.list_id = ${listId}`,
  );
  if (!list || (list.visibility !== 'public' && list.owner_id !== viewerId)) return undefined;
  const after = decodeCursor(options.cursor, 'items', ITEM_ORDER);
  const rows = await db.any<ItemRow>(
    sql.unsafe`SELECT i.title_id, i.note, ${iso('i.added_at')} AS added_at, ${SUMMARY_COLUMNS}, ${keyColumns(ITEM_ORDER)}
       FROM ${list_items} i
       LEFT JOIN ${titles} t ON t.title_id = i.title_id
       LEFT JOIN ${title_stats} s ON s.title_id = i.title_id
      WHERE i.list_id = ${listId} ${after ? sql.fragment`AND ${afterKey(ITEM_ORDER, after)}` : sql.fragment``}
      ORDER BY ${orderBy(ITEM_ORDER)} LIMIT ${options.limit + 1}`,
  );
  const items = page(rows, options.limit, 'items', ITEM_ORDER.length, (row) => ({
    title: toSummary(row, row.title_id),
    note: row.note,
    addedAt: row.added_at,
  }));
  return { ...toList(list), ...items };
}
