import { redirect } from '@sveltejs/kit';
import { ApiError, api, failure } from '$lib/server/api.ts';
import { liveKey } from '$lib/live/index.ts';
import type { Actions, PageServerLoad } from './$types';

const PAGE_SIZE = 30;

export const load: PageServerLoad = async (event) => {
  event.depends(liveKey('me'));
  const cursor = event.url.searchParams.get('cursor') || undefined;
  const ratings = await api(event).myRatings({ limit: PAGE_SIZE, cursor });
  return { ratings, paged: cursor !== undefined };
};

export const actions: Actions = {
  unrate: async (event) => {
    if (!event.locals.user) redirect(303, `/signin?redirectTo=${encodeURIComponent(event.url.pathname)}`);
    const data = await event.request.formData();
    const titleId = String(data.get('titleId') ?? '');
    const title = String(data.get('title') ?? 'the title');
    try {
      await api(event).unrate(titleId);
    } catch (cause) {
      // Not rated any more (removed in another tab): what the person wanted is done.
      if (cause instanceof ApiError && cause.status === 404) return { removed: title };
      return failure(cause, { titleId });
    }
    return { removed: title };
  },
};
