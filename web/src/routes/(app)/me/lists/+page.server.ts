import { fail, redirect } from '@sveltejs/kit';
import type { CreateListBody } from '@reeltime/schemas';
import { ApiError, api, failure } from '$lib/server/api.ts';
import { listPreviews } from '$lib/server/list-previews.ts';
import { liveKey } from '$lib/live/index.ts';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
  event.depends(liveKey('me'));
  const cursor = event.url.searchParams.get('cursor') ?? undefined;
  const client = api(event);
  const lists = await client.myLists({ limit: 100, cursor });
  return {
    lists,
    posters: await listPreviews(client, lists.items),
    cursor: cursor ?? null,
    // A retried or double-submitted "New list" makes one list, not two.
    idempotencyKey: crypto.randomUUID(),
  };
};

const text = (form: FormData, name: string) => {
  const value = form.get(name);
  return typeof value === 'string' ? value : '';
};

export const actions: Actions = {
  create: async (event) => {
    const { locals, request, url } = event;
    if (!locals.user) redirect(303, `/signin?redirectTo=${encodeURIComponent(url.pathname)}`);
    const form = await request.formData();
    const values = {
      name: text(form, 'name'),
      description: text(form, 'description'),
      visibility: text(form, 'visibility') === 'public' ? ('public' as const) : ('private' as const),
    };
    const idempotencyKey = text(form, 'idempotencyKey') || crypto.randomUUID();
    const body: CreateListBody = { name: values.name, visibility: values.visibility };
    if (values.description.trim()) body.description = values.description;
    let listId: string;
    try {
      ({ listId } = await api(event).createList(body, idempotencyKey));
    } catch (cause) {
      const result = failure(cause, values);
      // The API's schema words ("must match pattern \S") are not for people.
      if (result.data.errors.name && !values.name.trim()) result.data.errors.name = 'Give the list a name.';
      // A refused answer is stored under its key: the next attempt is a new request with a new key.
      // (Unavailable and rate-limited answers are not stored, so those retries keep the key.)
      const retryable = cause instanceof ApiError && (cause.status >= 500 || cause.status === 429);
      return fail(result.status, { ...result.data, idempotencyKey: retryable ? idempotencyKey : crypto.randomUUID() });
    }
    redirect(303, `/lists/${listId}?created=1`);
  },
};
