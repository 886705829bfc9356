import { redirect } from '@sveltejs/kit';
import { ApiError, api, failure } from '$lib/server/api.ts';
import { liveKey } from '$lib/live/index.ts';
import type { Actions, PageServerLoad } from './$types';

const PAGE_SIZE = 30;

export const load: PageServerLoad = async (event) => {
  event.depends(liveKey('me'));
  const cursor = event.url.searchParams.get('cursor') || undefined;
  const diary = await api(event).myDiary({ limit: PAGE_SIZE, cursor });
  return { diary, paged: cursor !== undefined };
};

export const actions: Actions = {
  remove: async (event) => {
    if (!event.locals.user) redirect(303, `/signin?redirectTo=${encodeURIComponent(event.url.pathname)}`);
    const data = await event.request.formData();
    const entryId = String(data.get('entryId') ?? '');
    const title = String(data.get('title') ?? 'The entry');
    try {
      await api(event).removeDiaryEntry(entryId);
    } catch (cause) {
      // Already gone (removed in another tab): what the person wanted is done.
      if (cause instanceof ApiError && cause.status === 404) return { removed: title };
      return failure(cause, { entryId });
    }
    return { removed: title };
  },
};
