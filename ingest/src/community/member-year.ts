/*
 * One demo community member's year, from signing up to the anchor: preferences, a first session
 * rating from memory, watches logged and rated, the watchlist, second thoughts, favourite
 * directors, then their lists.
 */
import type { PreferredGenre } from '@reeltime/command-api/src/preferences/index.ts';
import { GENRE_IDS, type TitleId } from '@reeltime/schemas';
import type { CommunityTitle } from './catalog.ts';
import type { CommunityMember, MemberTimeline } from './member-timeline.ts';
import { privateLists, publicLists } from './member-lists.ts';
import { DAY, HOUR, MINUTE, momentBetween } from './moments.ts';
import type { Profile } from './profiles.ts';
import type { Random } from './random.ts';
import { affinity, scoreFor, watchWeight } from './tastes.ts';
import { reviewFor } from './texts.ts';

/** One member's year. */
export function liveTheYear(
  random: Random,
  timeline: MemberTimeline,
  member: CommunityMember,
  profile: Profile,
  catalog: readonly CommunityTitle[],
  anchor: number,
): void {
  const { taste } = profile;
  const start = member.registeredAt;
  const end = anchor - MINUTE;
  const seen = random.weightedSample(catalog, (title) => watchWeight(taste, title), Math.min(profile.seen, catalog.length));
  const seenIds = new Set(seen.map((t) => t.titleId));

  const reviewed = (title: CommunityTitle, score: number) => {
    const rate = profile.reviewRate * (score <= 4 || score >= 9 ? 1.5 : 1);
    return random.chance(rate) ? reviewFor(random, title, score) : undefined;
  };

  // Preferences right after signing up: the genres they care most about.
  const ranked = [...taste.genres.entries()]
    .filter(([id]) => (GENRE_IDS as readonly number[]).includes(id))
    .sort((a, b) => b[1] - a[1] || a[0] - b[0]);
  if (profile.preferences) {
    const liked = ranked
      .filter(([, value]) => value > 0.6)
      .slice(0, random.int(2, 4))
      .map(([id]) => id as PreferredGenre);
    const disliked = (profile.dislikes ??
      ranked
        .filter(([, value]) => value < -0.7)
        .slice(-2)
        .map(([id]) => id)) as PreferredGenre[];
    const languages = ['en', ...[...taste.languages.entries()].filter(([, v]) => v > 0.5).map(([l]) => l)];
    if (taste.foreign > 0.6) languages.push(random.pick(['fr', 'it', 'es', 'ko', 'de']));
    const mediaTypes: ('movie' | 'tv')[] = taste.tvShare > 0.55 ? ['tv', 'movie'] : taste.tvShare < 0.07 ? ['movie'] : ['movie', 'tv'];
    timeline.preferences(start + random.int(2, 9) * MINUTE, {
      genres: { liked, disliked: disliked.filter((id) => !liked.includes(id)) },
      languages: [...new Set(languages)],
      mediaTypes,
    });
  }

  // The first session: titles seen long before joining, rated from memory.
  const spree = Math.min(profile.spree, seen.length);
  let clock = start + random.int(5, 15) * MINUTE;
  for (const title of seen.slice(0, spree)) {
    const score = scoreFor(random, taste, title);
    timeline.rate(clock, title, score, reviewed(title, score));
    clock += random.int(1, 4) * MINUTE;
  }

  // Everything else was watched after joining: logged, rated, or both, and often on the watchlist first.
  const later = seen.slice(spree).map((title) => ({ title, at: momentBetween(random, start + 2 * HOUR, end - 2 * HOUR) }));
  later.sort((a, b) => a.at - b.at);
  for (const [i, entry] of later.slice(Math.max(0, later.length - profile.recentWatches)).entries()) {
    entry.at = momentBetween(random, Math.max(start + 2 * HOUR, anchor - (5 - i) * DAY), end - 2 * HOUR);
  }
  later.sort((a, b) => a.at - b.at);
  const watchlisted = new Set<TitleId>();
  for (const { title, at } of later) {
    let logs = profile.diaryRate > 0 && random.chance(profile.diaryRate);
    const rates = random.chance(profile.rateRate) || !logs;
    if (!rates && !logs) logs = true;
    if (at - start > 4 * DAY && random.chance(0.28)) {
      watchlisted.add(title.titleId);
      timeline.list(momentBetween(random, start + HOUR, at - DAY), member.watchlistId, {
        type: 'AddListItem',
        listId: member.watchlistId,
        actorId: member.userId,
        titleId: title.titleId,
      });
      const removedAt = at + random.int(20, 600) * MINUTE;
      if (removedAt < end && random.chance(0.75)) {
        timeline.list(removedAt, member.watchlistId, {
          type: 'RemoveListItem',
          listId: member.watchlistId,
          actorId: member.userId,
          titleId: title.titleId,
        });
      }
    }
    if (logs) timeline.watch(at, title);
    const ratedAt = at + random.int(5, 90) * MINUTE;
    if (rates && ratedAt < end) {
      const score = scoreFor(random, taste, title);
      timeline.rate(ratedAt, title, score, reviewed(title, score));
      // A favourite gets watched again.
      if (score >= 8 && profile.diaryRate > 0 && random.chance(0.2) && end - ratedAt > 20 * DAY) {
        timeline.watch(momentBetween(random, ratedAt + 14 * DAY, end), title, true);
      }
    }
  }

  // Old favourites from the first session, watched again and logged as rewatches.
  for (const rated of [...timeline.rated.values()].filter((r) => r.at < start + DAY && r.score >= 8)) {
    if (profile.diaryRate > 0 && random.chance(0.15) && end - start > 3 * DAY)
      timeline.watch(momentBetween(random, start + DAY, end), rated.title, true);
  }

  // Second thoughts: a few ratings move a point, weeks later.
  for (const rated of [...timeline.rated.values()]) {
    if (end - rated.at > 15 * DAY && random.chance(0.04)) {
      const score = Math.min(10, Math.max(1, rated.score + (random.chance(0.5) ? 1 : -1)));
      const at = momentBetween(random, rated.at + 10 * DAY, end);
      timeline.rate(
        at,
        rated.title,
        score,
        rated.review === undefined ? undefined : { review: rated.review, containsSpoilers: rated.containsSpoilers },
      );
    }
  }

  // A watchlist of things they mean to see, added a few at a time while browsing.
  const unseen = catalog.filter((t) => !seenIds.has(t.titleId));
  let browsing = 0;
  let session = start;
  for (const title of random.weightedSample(
    unseen,
    (t) => watchWeight(taste, t) * Math.exp(0.5 * affinity(taste, t)),
    profile.watchlistExtra,
  )) {
    if (watchlisted.has(title.titleId)) continue;
    watchlisted.add(title.titleId);
    if (browsing-- <= 0) {
      browsing = random.int(1, 4);
      session = momentBetween(random, start + 10 * MINUTE, end - HOUR);
    }
    session += random.int(1, 6) * MINUTE;
    timeline.list(session, member.watchlistId, {
      type: 'AddListItem',
      listId: member.watchlistId,
      actorId: member.userId,
      titleId: title.titleId,
    });
  }

  // Later, some say which directors they love.
  const favourites = [...timeline.rated.values()]
    .filter((r) => r.score >= 9 && r.title.directors.length > 0)
    .sort((a, b) => b.score - a.score || a.at - b.at);
  if (favourites.length >= 2 && (member.demo || random.chance(0.3)) && end - start > 31 * DAY) {
    const people = [...new Set(favourites.slice(0, 3).map((r) => r.title.directors[0]!.personId))];
    timeline.preferences(momentBetween(random, start + 30 * DAY, end), { people: { liked: people } });
  }

  publicLists(random, timeline, member, profile, catalog, start, end);
  privateLists(random, timeline, member, profile, unseen, start, end);
}
