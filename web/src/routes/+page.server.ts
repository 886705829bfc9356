import type { Recommendations } from '@reeltime/schemas';
import { liveKey } from '$lib/live/index.ts';
import { api } from '$lib/server/api.ts';
import { log } from '$lib/server/log.ts';
import type { PageServerLoad } from './$types';

/** A feed position as `?before=` carries it (the previous page's `nextCursor`). */
const POSITION = /^[0-9]{20}-[0-9]{20}$/;
const ROW = 12;
const FEED_PAGE = 20;

export const load: PageServerLoad = async (event) => {
  const { locals, url, depends } = event;
  // `feed` brings new public activity (the page prepends what it can show at once and comes
  // here for the rest); `me` brings your own ratings and watches and `recommendations.changed`
  // (the projection re-ranked your picks, after your activity or everyone's). Any of them
  // reloads the picks; the API client's X-Min-Position makes the reload see your last write.
  depends(liveKey('feed'));
  if (locals.user) depends(liveKey('me'));

  const given = url.searchParams.get('before');
  const before = given && POSITION.test(given) ? given : null;
  const client = api(event);
  const signedIn = locals.user !== null;

  const [trending, popular, feed, recommendations] = await Promise.all([
    client.searchTitles({ sort: 'trending', limit: ROW }),
    // Twice a row, so the row can leave out what trending already shows.
    signedIn ? client.searchTitles({ sort: 'popular', limit: ROW * 2 }) : null,
    client.feed({ before: before ?? undefined, limit: FEED_PAGE }),
    signedIn ? recommendationsOrNull(client.recommendations({ limit: ROW }), locals.requestId) : null,
  ]);

  const inTrending = new Set(trending.items.map((title) => title.id));
  return {
    trending: trending.items,
    popular: popular ? popular.items.filter((title) => !inTrending.has(title.id)).slice(0, ROW) : null,
    feed,
    before,
    /** `failed`: the page shows the rest and says the picks could not be loaded. */
    recommendations: signedIn ? (recommendations ?? 'failed') : null,
  };
};

/** Your picks are one part of the page; when they cannot be had, the rest still is. */
async function recommendationsOrNull(read: Promise<Recommendations>, correlationId: string): Promise<Recommendations['items'] | null> {
  try {
    return (await read).items;
  } catch (cause) {
    log.warn({ err: cause, correlationId }, 'recommendations unavailable');
    return null;
  }
}
