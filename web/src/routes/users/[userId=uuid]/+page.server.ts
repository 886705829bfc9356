import { api } from '$lib/server/api.ts';
import { listPreviews } from '$lib/server/list-previews.ts';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
  const { userId } = event.params;
  const cursor = event.url.searchParams.get('cursor') ?? undefined;
  const client = api(event);
  const lists = await client.userLists(userId, { limit: 48, cursor });
  const me = event.locals.user;
  // There is no profile read: the name comes with the lists (or from the session, for oneself).
  const displayName = me?.userId === userId ? me.displayName : (lists.items.find((list) => list.ownerName)?.ownerName ?? null);
  return {
    userId,
    lists,
    posters: await listPreviews(client, lists.items),
    cursor: cursor ?? null,
    displayName,
    isMe: me?.userId === userId,
  };
};
