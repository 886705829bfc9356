import type { ListSummary, TitleSummary } from '@reeltime/schemas';
import type { Api } from './api.ts';

const PREVIEWED_LISTS = 24;
const POSTERS = 4;

/**
 * The first few titles of each list, for the poster strip on list cards. A list summary has no
 * titles, so this reads each of the first lists (small, parallel reads); a list that cannot be
 * read just shows no posters.
 */
export async function listPreviews(client: Api, lists: ListSummary[]): Promise<Record<string, TitleSummary[]>> {
  const entries = await Promise.all(
    lists.slice(0, PREVIEWED_LISTS).map(async (list): Promise<[string, TitleSummary[]]> => {
      if (list.itemCount === 0) return [list.listId, []];
      try {
        const view = await client.list(list.listId, { limit: POSTERS });
        return [list.listId, view.items.map((item) => item.title)];
      } catch {
        return [list.listId, []];
      }
    }),
  );
  return Object.fromEntries(entries);
}
