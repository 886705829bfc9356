import { fail, redirect, type RequestEvent } from '@sveltejs/kit';
import type { ListSummary, WatchProviders } from '@reeltime/schemas';
import { api, failure, type FormFailure } from '$lib/server/api.ts';
import { liveKey } from '$lib/live/index.ts';
import { preferredRegion } from './regions.ts';
import type { Actions, PageServerLoad } from './$types';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const ISO_DAY = /^\d{4}-\d{2}-\d{2}$/;

export const load: PageServerLoad = async (event) => {
  const { params, locals, depends, request } = event;
  const titleId = params.titleId;
  depends(liveKey(`title:${titleId}`));
  if (locals.user) depends(liveKey('me'));

  const client = api(event);
  const [title, similar, lists] = await Promise.all([
    client.title(titleId),
    // Similar titles and your lists are extras: the page still shows the title without them.
    client.similarTitles(titleId, 12).then(
      (answer) => answer.items.map((item) => item.title),
      () => null,
    ),
    locals.user
      ? client.myLists({ limit: 100 }).then(
          (page) => page.items,
          () => null,
        )
      : Promise.resolve(null),
  ]);

  return {
    title,
    // The catalog events guarantee this shape (RegionWatchProviders); the query API passes it on as stored.
    watchProviders: title.watchProviders as WatchProviders,
    defaultRegion: preferredRegion(request.headers.get('accept-language')),
    similar,
    lists: lists ? watchlistFirst(lists) : null,
    // Forms that create something carry a key, so a double submit or a retry never duplicates.
    addToListKey: crypto.randomUUID(),
    logWatchKey: crypto.randomUUID(),
    today: new Date().toISOString().slice(0, 10),
  };
};

function watchlistFirst(lists: ListSummary[]): ListSummary[] {
  return [...lists].sort((a, b) => Number(b.kind === 'watchlist') - Number(a.kind === 'watchlist'));
}

type Action = 'rate' | 'addToList' | 'removeFromList' | 'logWatch';

function requireUser(event: RequestEvent): void {
  if (!event.locals.user) redirect(303, `/signin?redirectTo=${encodeURIComponent(event.url.pathname)}`);
}

/** A form the action refused itself, before asking the API: the same shape as `failure()`'s (the field error says it all). */
function invalid(action: Action, errors: Record<string, string>, values: Record<string, unknown>) {
  return fail(400, { message: '', errors, status: 400, values: { ...values, action } } satisfies FormFailure & {
    values: Record<string, unknown>;
  });
}

/**
 * The API refused the command. Domain refusals (409) name no field, so the ones that are about a
 * field are put next to it, in words for people where the API's are for programmers. A 4xx
 * consumed the form's idempotency key (the API remembers its answer), so a corrected retry gets a
 * new one; after a 5xx the command may have happened, so the retry keeps the key and is answered
 * from the first attempt.
 */
function refused(
  action: Action,
  cause: unknown,
  values: Record<string, unknown>,
  fieldOf: Record<string, { field: string; message?: string }> = {},
) {
  const result = failure(cause, { ...values, action });
  const { code, status } = result.data;
  const named = code ? fieldOf[code] : undefined;
  if (named && !result.data.errors[named.field]) result.data.errors[named.field] = named.message ?? result.data.message;
  if ('idempotencyKey' in values && status < 500) result.data.values.idempotencyKey = crypto.randomUUID();
  return result;
}

const text = (data: FormData, name: string) => {
  const value = data.get(name);
  return typeof value === 'string' ? value : '';
};

export const actions: Actions = {
  rate: async (event) => {
    requireUser(event);
    const data = await event.request.formData();
    const review = text(data, 'review');
    const containsSpoilers = data.get('containsSpoilers') === 'on';
    const scoreText = text(data, 'score');
    const values = { score: scoreText, review, containsSpoilers };
    const score = Number(scoreText);
    if (!scoreText || !Number.isInteger(score) || score < 1 || score > 10) {
      return invalid('rate', { score: 'Choose a rating, from half a star to five stars.' }, values);
    }
    // The API counts characters as code points; saying so here keeps the message in words for people.
    if ([...review].length > 5000)
      return invalid(
        'rate',
        { review: `A review can be at most 5,000 characters; this one has ${[...review].length.toLocaleString('en')}.` },
        values,
      );
    const hasReview = review.trim() !== '';
    try {
      await api(event).rate(event.params.titleId, { score, ...(hasReview ? { review, containsSpoilers } : {}) });
    } catch (cause) {
      return refused('rate', cause, values, { review_too_long: { field: 'review', message: 'A review can be at most 5,000 characters.' } });
    }
    return { action: 'rate' as const, ok: true as const, message: hasReview ? 'Rating and review saved.' : 'Rating saved.' };
  },

  unrate: async (event) => {
    requireUser(event);
    try {
      await api(event).unrate(event.params.titleId);
    } catch (cause) {
      return refused('rate', cause, { removing: true });
    }
    return { action: 'rate' as const, ok: true as const, message: 'Rating removed.' };
  },

  addToList: async (event) => {
    requireUser(event);
    const data = await event.request.formData();
    const listId = text(data, 'listId');
    const note = text(data, 'note').trim();
    const idempotencyKey = text(data, 'idempotencyKey') || crypto.randomUUID();
    const version = Number(text(data, `version-${listId}`)) || undefined;
    const values = { listId, note, idempotencyKey };
    if (!UUID.test(listId)) return invalid('addToList', { listId: 'Choose one of your lists.' }, values);
    try {
      await api(event).addListItem(listId, { titleId: event.params.titleId, ...(note ? { note } : {}) }, { version, idempotencyKey });
    } catch (cause) {
      return refused('addToList', cause, values, { list_full: { field: 'listId' } });
    }
    return { action: 'addToList' as const, ok: true as const, listId, message: 'Added.' };
  },

  removeFromList: async (event) => {
    requireUser(event);
    const data = await event.request.formData();
    const listId = text(data, 'listId');
    const version = Number(text(data, 'version')) || undefined;
    const values = { listId };
    if (!UUID.test(listId)) return invalid('removeFromList', { listId: 'Choose one of your lists.' }, values);
    try {
      await api(event).removeListItem(listId, event.params.titleId, version);
    } catch (cause) {
      return refused('removeFromList', cause, values);
    }
    return { action: 'removeFromList' as const, ok: true as const, listId, message: 'Removed.' };
  },

  logWatch: async (event) => {
    requireUser(event);
    const data = await event.request.formData();
    const watchedOn = text(data, 'watchedOn');
    const rewatch = data.get('rewatch') === 'on';
    const idempotencyKey = text(data, 'idempotencyKey') || crypto.randomUUID();
    const values = { watchedOn, rewatch, idempotencyKey };
    if (watchedOn && !ISO_DAY.test(watchedOn))
      return invalid('logWatch', { watchedOn: 'Enter the day you watched it, as YYYY-MM-DD.' }, values);
    try {
      await api(event).logWatch({ titleId: event.params.titleId, ...(watchedOn ? { watchedOn } : {}), rewatch }, idempotencyKey);
    } catch (cause) {
      return refused('logWatch', cause, values, {
        invalid_watch_date: { field: 'watchedOn', message: 'Choose a day from 1870 up to today.' },
      });
    }
    return { action: 'logWatch' as const, ok: true as const, watchedOn, rewatch, message: 'Logged' };
  },
};
