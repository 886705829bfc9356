import type { ListPage, ListSummary, ListView } from '@reeltime/schemas';
import { sql } from 'slonik';
import { iso, NOTHING, type ReadDb, readQuery } from '../db.ts';
import { andAfterKey, decodeCursor, ordering, page } from '../paging/cursor.ts';
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
const LIST_ORDER = ordering([
  { expr: sql.fragment`(l.kind = 'watchlist')::int`, dir: 'desc', type: 'int' },
  { expr: sql.fragment`l.created_at`, dir: 'asc', type: 'timestamptz' },
  { expr: sql.fragment`l.list_id`, dir: 'asc', type: 'text' },
]);
const PUBLIC_ONLY = sql.fragment`AND l.visibility = 'public'`;

export async function listsOf(
  db: ReadDb,
  ownerId: string,
  options: { publicOnly: boolean; limit: number; cursor?: string },
): Promise<ListPage> {
  const after = decodeCursor(options.cursor, 'lists', LIST_ORDER.keys);
  const { lists, users } = db.read;
  const rows = await db.any<ListRow & Record<string, unknown>>(
    readQuery`SELECT ${LIST_COLUMNS}, ${LIST_ORDER.keyColumns}
       FROM ${lists} l LEFT JOIN ${users} u ON u.user_id = l.owner_id
      WHERE l.owner_id = ${ownerId} ${options.publicOnly ? PUBLIC_ONLY : NOTHING} ${andAfterKey(LIST_ORDER.keys, after)}
      ORDER BY ${LIST_ORDER.orderBy} LIMIT ${options.limit + 1}`,
  );
  return page(rows, options.limit, 'lists', LIST_ORDER.keys.length, toList);
}

export async function userExists(db: ReadDb, userId: string): Promise<boolean> {
  return (await db.any(readQuery`SELECT 1 FROM ${db.read.users} WHERE user_id = ${userId}`)).length > 0;
}

const ITEM_ORDER = ordering([
  { expr: sql.fragment`i.ord`, dir: 'asc', type: 'int' },
  { expr: sql.fragment`i.title_id`, dir: 'asc', type: 'text' },
]);

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
    readQuery`SELECT ${LIST_COLUMNS} FROM ${lists} l LEFT JOIN ${users} u ON u.user_id = l.owner_id WHERE l.list_id = ${listId}`,
  );
  if (!list || (list.visibility !== 'public' && list.owner_id !== viewerId)) return undefined;
  const after = decodeCursor(options.cursor, 'items', ITEM_ORDER.keys);
  const rows = await db.any<ItemRow>(
    readQuery`SELECT i.title_id, i.note, ${iso('i.added_at')} AS added_at, ${SUMMARY_COLUMNS}, ${ITEM_ORDER.keyColumns}
       FROM ${list_items} i
       LEFT JOIN ${titles} t ON t.title_id = i.title_id
       LEFT JOIN ${title_stats} s ON s.title_id = i.title_id
      WHERE i.list_id = ${listId} ${andAfterKey(ITEM_ORDER.keys, after)}
      ORDER BY ${ITEM_ORDER.orderBy} LIMIT ${options.limit + 1}`,
  );
  const items = page(rows, options.limit, 'items', ITEM_ORDER.keys.length, (row) => ({
    title: toSummary(row, row.title_id),
    note: row.note,
    addedAt: row.added_at,
  }));
  return { ...toList(list), ...items };
}
