import { fail, redirect, type RequestEvent } from '@sveltejs/kit';
import type { ListView, UpdateListBody } from '@reeltime/schemas';
import { ApiError, api, failure, type Api } from '$lib/server/api.ts';
import { liveKey } from '$lib/live/index.ts';
import type { Actions, PageServerLoad } from './$types';

/** Items per "Show more"; query-api answers at most 1000 per page, so larger views follow `nextCursor`. */
const PAGE = 100;
const API_PAGE_MAX = 1000;
const SHOW_MAX = 5000; // MAX_LIST_ITEMS

/** The list with its first `count` items, read page by page along `nextCursor`. */
async function readList(client: Api, listId: string, count: number): Promise<ListView> {
  const first = await client.list(listId, { limit: Math.min(count, API_PAGE_MAX) });
  const items = [...first.items];
  let cursor = first.nextCursor;
  while (cursor && items.length < count) {
    const next = await client.list(listId, { limit: Math.min(count - items.length, API_PAGE_MAX), cursor });
    items.push(...next.items);
    cursor = next.nextCursor;
  }
  return { ...first, items, nextCursor: cursor };
}

function shownCount(raw: string | null): number {
  const count = Number(raw);
  return Number.isInteger(count) && count > PAGE ? Math.min(Math.ceil(count / PAGE) * PAGE, SHOW_MAX) : PAGE;
}

export const load: PageServerLoad = async (event) => {
  const { listId } = event.params;
  event.depends(liveKey(`list:${listId}`));
  const shown = shownCount(event.url.searchParams.get('show'));
  const list = await readList(api(event), listId, shown);
  return { list, shown, isOwner: event.locals.user?.userId === list.ownerId };
};

// ---- actions: the owner's changes, each sent with the version the page showed (If-Match) ----

const text = (form: FormData, name: string): string | null => {
  const value = form.get(name);
  return typeof value === 'string' ? value : null;
};

function version(form: FormData): number | undefined {
  const value = Number(text(form, 'version'));
  return Number.isInteger(value) && value > 0 ? value : undefined;
}

function signedIn(event: RequestEvent): void {
  if (!event.locals.user) redirect(303, `/signin?redirectTo=${encodeURIComponent(event.url.pathname)}`);
}

/** Messages for refusals whose API wording speaks of the request rather than the person's action. */
const REFUSALS: Record<string, string> = {
  not_a_permutation:
    'The list gained or lost titles since this page was shown, so the new order was not saved. The page now shows the latest list.',
  not_in_list: 'That title is no longer in the list. The page now shows the latest list.',
  not_owner: 'Only the owner can change this list.',
  list_not_found: 'This list no longer exists.',
};

/** What a 412 (the page showed an older version) means for each change. */
const STALE = {
  update:
    'This list changed in another tab or on another device, so your edits were not saved. The page now shows the latest details; your text is still in the form.',
  delete:
    'This list changed in another tab or on another device since this page was shown, so it was not deleted. Check the latest version below, then delete it again if you still want to.',
  removeItem: 'This list changed in another tab or on another device, so the title was not removed. The page now shows the latest list.',
  move: 'This list changed in another tab or on another device, so the move was not saved. The page now shows the latest order.',
} as const;

function refused<Action extends keyof typeof STALE>(cause: unknown, action: Action, values: Record<string, unknown> = {}) {
  const result = failure(cause, values);
  const code = cause instanceof ApiError ? cause.problem.code : undefined;
  if (result.status === 412) result.data.message = STALE[action];
  else if (code && REFUSALS[code]) result.data.message = REFUSALS[code];
  return fail(result.status, { ...result.data, action });
}

export const actions: Actions = {
  update: async (event) => {
    signedIn(event);
    const form = await event.request.formData();
    const name = text(form, 'name'); // absent for the watchlist, which keeps its name
    const values = {
      name,
      description: text(form, 'description') ?? '',
      visibility: text(form, 'visibility') === 'public' ? 'public' : 'private',
    } as const;
    const body: UpdateListBody = { description: values.description, visibility: values.visibility };
    if (name !== null) body.name = name;
    try {
      const changed = await api(event).updateList(event.params.listId, body, version(form));
      return { action: 'update' as const, version: changed.version, message: 'Saved.' };
    } catch (cause) {
      const result = refused(cause, 'update', values);
      if (result.data.errors.name && name !== null && !name.trim()) result.data.errors.name = 'A list needs a name.';
      return result;
    }
  },

  delete: async (event) => {
    signedIn(event);
    const form = await event.request.formData();
    try {
      await api(event).deleteList(event.params.listId, version(form));
    } catch (cause) {
      return refused(cause, 'delete');
    }
    redirect(303, `/me/lists?deleted=${encodeURIComponent(text(form, 'name') ?? '')}`);
  },

  removeItem: async (event) => {
    signedIn(event);
    const form = await event.request.formData();
    const titleId = text(form, 'titleId') ?? '';
    try {
      const changed = await api(event).removeListItem(event.params.listId, titleId, version(form));
      return { action: 'removeItem' as const, version: changed.version, titleId, title: text(form, 'title') };
    } catch (cause) {
      return refused(cause, 'removeItem');
    }
  },

  /**
   * Moves one title to position `to` (0-based). PUT /lists/:id/order takes every item in the new
   * order, and the page may show only the first hundred, so the order is read here whole.
   */
  move: async (event) => {
    signedIn(event);
    const form = await event.request.formData();
    const titleId = text(form, 'titleId') ?? '';
    const to = Number(text(form, 'to'));
    const client = api(event);
    try {
      const list = await readList(client, event.params.listId, SHOW_MAX);
      const order = list.items.map((item) => item.title.id);
      const from = order.indexOf(titleId);
      const expected = version(form);
      if (from < 0 || (expected !== undefined && expected !== list.version)) {
        // The page was stale: no need to ask the API to refuse it.
        return fail(412, { action: 'move' as const, status: 412, message: STALE.move, errors: {}, values: {} });
      }
      if (!Number.isInteger(to) || to < 0 || to >= order.length)
        return fail(400, { action: 'move' as const, status: 400, message: 'That position is not in the list.', errors: {}, values: {} });
      order.splice(from, 1);
      order.splice(to, 0, titleId);
      const changed = await client.reorderList(event.params.listId, order, expected);
      return { action: 'move' as const, version: changed.version, titleId, to, title: text(form, 'title') };
    } catch (cause) {
      return refused(cause, 'move');
    }
  },
};
