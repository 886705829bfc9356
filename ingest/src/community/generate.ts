/*
 * The demo community as people and what they did, over the year before `anchor`. Pure and
 * deterministic: the same catalog, anchor and seed always give the same people and commands.
 * The commands are the command-api's own (CreateList, RateTitle, LogWatch, SetPreferences...),
 * so `decide.ts` can run them through the real deciders.
 */
import type { DiaryCommand } from '@reeltime/command-api/src/diary/index.ts';
import { latestCalendarDay } from '@reeltime/command-api/src/handling/answers.ts';
import type { ListCommand } from '@reeltime/command-api/src/lists/index.ts';
import type { PreferencesCommand, PreferredGenre } from '@reeltime/command-api/src/preferences/index.ts';
import type { RatingCommand } from '@reeltime/command-api/src/ratings/index.ts';
import { GENRE_IDS, diaryStream, listStream, preferencesStream, ratingStream, type TitleId } from '@reeltime/schemas';
import { uuidNamespace, uuidV5 } from '../catalog/event-id.ts';
import type { CommunityTitle } from './catalog.ts';
import { DEMO_ACCOUNT_DISPLAY_NAME, DEMO_ACCOUNT_EMAIL } from './credentials.ts';
import { personNames } from './names.ts';
import { Random } from './random.ts';
import { affinity, drawTaste, scoreFor, watchWeight, type Taste } from './tastes.ts';
import { LIST_IDEAS, PRIVATE_LIST_NAMES, itemNote, reviewFor, type ListIdea } from './texts.ts';

/** UUID v5 namespace of every id the demo community uses (users, lists, entries, events). Fixed forever. */
export const COMMUNITY_NAMESPACE = 'fc1bf44d-1eb4-424a-ab67-f4e49f43167c';
const NAMESPACE = uuidNamespace(COMMUNITY_NAMESPACE);
export const communityId = (name: string) => uuidV5(name, NAMESPACE);

export const DEFAULT_COMMUNITY_SIZE = 220;
export const DEFAULT_COMMUNITY_SEED = 'reeltime-demo-community-1';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

export type CommunityMember = {
  /** `p001`… for the community, `demo` for the demo account. */
  key: string;
  userId: string;
  watchlistId: string;
  displayName: string;
  email: string;
  demo: boolean;
  registeredAt: number;
  archetypes: readonly string[];
};

type Aggregate =
  | { aggregate: 'list'; command: ListCommand }
  | { aggregate: 'rating'; command: RatingCommand }
  | { aggregate: 'diary'; command: DiaryCommand }
  | { aggregate: 'preferences'; command: PreferencesCommand };

/**
 * One command a member sent, when, and to which stream. `commandId` stands in for the request
 * id (correlation and causation of its events): `demo-community:<member>:<n>`, so an event
 * shows where it came from.
 */
export type PlannedCommand = Aggregate & { at: number; member: number; seq: number; stream: string; commandId: string };

export type CommunityActivity = {
  anchor: number;
  members: CommunityMember[];
  /** Oldest first (ties: member, then the order the member sent them). */
  commands: PlannedCommand[];
};

export type GenerateOptions = {
  /** Everything happens in the year before this moment. */
  anchor: Date;
  /** Community members besides the demo account (default 220). */
  people?: number;
  seed?: string;
};

/** How one person behaves; drawn for community members, fixed for the demo account. */
type Profile = {
  taste: Taste;
  registeredDaysAgo: number;
  /** Titles they have seen (rated, logged or both). */
  seen: number;
  /** Of those, rated in the first session, from memory. */
  spree: number;
  reviewRate: number;
  diaryRate: number;
  rateRate: number;
  preferences: boolean;
  publicLists: number;
  privateLists: number;
  /** List ideas to try first (by name). */
  listIdeas?: readonly string[];
  privateListNames?: readonly string[];
  watchlistExtra: number;
  /** This many of the latest watches fall in the last few days. */
  recentWatches: number;
  dislikes?: readonly number[];
};

const utcDay = (ms: number) => Math.floor(ms / DAY) * DAY;

/** Minute of the day, mostly evenings. */
function timeOfDay(random: Random): number {
  const slot = random.next();
  if (slot < 0.62) return random.int(18 * 60, 23 * 60 + 50) * MINUTE;
  if (slot < 0.88) return random.int(12 * 60, 18 * 60) * MINUTE;
  return random.int(7 * 60, 12 * 60) * MINUTE;
}

/** A moment in (from, to): a day (weekends a little likelier), then a time of day. */
function momentBetween(random: Random, from: number, to: number): number {
  if (to - from <= 2 * HOUR) return from + Math.max(1, Math.floor(random.next() * (to - from)));
  const firstDay = utcDay(from);
  const days = Math.floor((utcDay(to) - firstDay) / DAY);
  let day = firstDay + random.int(0, days) * DAY;
  const weekday = new Date(day).getUTCDay();
  if (weekday >= 1 && weekday <= 4 && random.chance(0.3)) day = firstDay + random.int(0, days) * DAY;
  const at = day + timeOfDay(random);
  if (at <= from) return from + random.int(1, 59) * MINUTE;
  if (at >= to) return Math.max(from + MINUTE, to - random.int(1, 59) * MINUTE);
  return at;
}

function drawProfile(random: Random): Profile {
  const taste = drawTaste(random);
  const heavy = random.chance(0.1);
  return {
    taste,
    registeredDaysAgo: 3 + 360 * (1 - random.next() ** 2),
    seen: Math.min(120, Math.max(6, Math.round(Math.exp(random.normal(heavy ? 4.0 : 3.1, 0.5))))),
    spree: random.int(3, 15),
    reviewRate: [0.03, 0.15, 0.4][random.weightedIndex([40, 40, 20])]!,
    diaryRate: random.chance(0.15) ? 0 : random.between(0.4, 0.95),
    rateRate: random.between(0.75, 1),
    preferences: random.chance(0.65),
    publicLists: random.weightedIndex([30, 36, 20, 9, 5]),
    privateLists: random.weightedIndex([60, 30, 10]),
    watchlistExtra: random.weightedIndex([15, 30, 30, 15, 10]) * 3,
    recentWatches: 0,
  };
}

function demoProfile(random: Random): Profile {
  return {
    taste: { ...drawTaste(random, ['scifi', 'crime']), generosity: 0.2, spread: 0.9 },
    registeredDaysAgo: 150,
    seen: 48,
    spree: 12,
    reviewRate: 0.25,
    diaryRate: 0.9,
    rateRate: 0.95,
    preferences: true,
    publicLists: 2,
    privateLists: 1,
    listIdeas: ['Mind-benders', 'Essential sci-fi', 'Crime sprees'],
    privateListNames: ['Date night ideas'],
    watchlistExtra: 12,
    recentWatches: 4,
    dislikes: [27],
  };
}

type Rated = { title: CommunityTitle; score: number; review?: string; containsSpoilers: boolean; at: number };

/** Builds one member's commands; `at` values are all in (registeredAt, anchor). */
class MemberTimeline {
  readonly commands: PlannedCommand[] = [];
  readonly rated = new Map<TitleId, Rated>();
  private seq = 0;
  private entries = 0;
  private lists = 0;

  constructor(
    private readonly random: Random,
    private readonly member: CommunityMember,
    private readonly index: number,
    private readonly anchor: number,
  ) {}

  private push(at: number, stream: string, planned: Aggregate): void {
    const seq = this.seq++;
    this.commands.push({
      ...planned,
      at: Math.round(at),
      member: this.index,
      seq,
      stream,
      commandId: `demo-community:${this.member.key}:${seq}`,
    } as PlannedCommand);
  }

  get userId() {
    return this.member.userId;
  }

  rate(at: number, title: CommunityTitle, score: number, review?: { review: string; containsSpoilers: boolean }): void {
    const { userId } = this;
    this.push(at, ratingStream(userId, title.titleId), {
      aggregate: 'rating',
      command: {
        type: 'RateTitle',
        actorId: userId,
        userId,
        titleId: title.titleId,
        score,
        review: review?.review,
        containsSpoilers: review?.containsSpoilers ?? false,
      },
    });
    this.rated.set(title.titleId, { title, score, review: review?.review, containsSpoilers: review?.containsSpoilers ?? false, at });
  }

  watch(at: number, title: CommunityTitle, rewatch?: boolean): void {
    const { userId } = this;
    const entryId = communityId(`diary:${this.member.key}:${this.entries++}`);
    const watchedOn = new Date(at).toISOString().slice(0, 10);
    const command: DiaryCommand = {
      type: 'LogWatch',
      actorId: userId,
      userId,
      entryId,
      titleId: title.titleId,
      watchedOn,
      today: latestCalendarDay(new Date(this.anchor)),
    };
    if (rewatch !== undefined) command.rewatch = rewatch;
    this.push(at, diaryStream(userId), { aggregate: 'diary', command });
  }

  newListId(): string {
    return communityId(`list:${this.member.key}:${this.lists++}`);
  }

  list(at: number, listId: string, command: ListCommand): void {
    this.push(at, listStream(listId), { aggregate: 'list', command });
  }

  preferences(at: number, command: Omit<Extract<PreferencesCommand, { type: 'SetPreferences' }>, 'type' | 'actorId' | 'userId'>): void {
    const { userId } = this;
    this.push(at, preferencesStream(userId), {
      aggregate: 'preferences',
      command: { type: 'SetPreferences', actorId: userId, userId, ...command },
    });
  }
}

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted.length === 0 ? 0 : sorted[Math.floor(sorted.length / 2)]!;
};

/**
 * TMDb's popularity runs about three times higher for series than for films; left as it is,
 * series would be watched by everyone. Series are put on the films' scale (equal medians), and
 * each person's taste for series decides the rest.
 */
function onOneScale(titles: readonly CommunityTitle[]): CommunityTitle[] {
  const movies = median(titles.filter((t) => t.mediaType === 'movie').map((t) => t.popularity));
  const series = median(titles.filter((t) => t.mediaType === 'tv').map((t) => t.popularity));
  const factor = movies > 0 && series > 0 ? movies / series : 1;
  return titles.map((title) => (title.mediaType === 'tv' ? { ...title, popularity: title.popularity * factor } : title));
}

/** The people and everything they did. */
export function generateActivity(titles: readonly CommunityTitle[], options: GenerateOptions): CommunityActivity {
  const anchor = options.anchor.getTime();
  if (!Number.isFinite(anchor)) throw new RangeError('anchor must be a valid date');
  const random = new Random(options.seed ?? DEFAULT_COMMUNITY_SEED);
  const count = options.people ?? DEFAULT_COMMUNITY_SIZE;
  const catalog = onOneScale(titles).sort((a, b) => (a.titleId < b.titleId ? -1 : a.titleId > b.titleId ? 1 : 0));
  const names = personNames(random.fork('names'), count);

  const members: CommunityMember[] = [];
  const commands: PlannedCommand[] = [];
  const people = [
    ...names.map((name, i) => ({ key: `p${String(i + 1).padStart(3, '0')}`, name, demo: false })),
    { key: 'demo', name: null, demo: true },
  ];
  for (const [index, person] of people.entries()) {
    const own = random.fork(person.key);
    const profile = person.demo ? demoProfile(own) : drawProfile(own);
    const registeredAt = momentBetween(
      own,
      utcDay(anchor - profile.registeredDaysAgo * DAY),
      utcDay(anchor - profile.registeredDaysAgo * DAY) + DAY - MINUTE,
    );
    const member: CommunityMember = {
      key: person.key,
      userId: communityId(`user:${person.key}`),
      watchlistId: communityId(`watchlist:${person.key}`),
      displayName: person.name?.displayName ?? DEMO_ACCOUNT_DISPLAY_NAME,
      email: person.name ? `${person.name.emailLocal}@community.example.com` : DEMO_ACCOUNT_EMAIL,
      demo: person.demo,
      registeredAt: Math.min(registeredAt, anchor - DAY),
      archetypes: profile.taste.archetypes,
    };
    members.push(member);
    const timeline = new MemberTimeline(own, member, index, anchor);
    if (catalog.length > 0) live(own, timeline, member, profile, catalog, anchor);
    commands.push(...timeline.commands);
  }
  commands.sort((a, b) => a.at - b.at || a.member - b.member || a.seq - b.seq);
  return { anchor, members, commands };
}

/** One member's year. */
function live(
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

function publicLists(
  random: Random,
  timeline: MemberTimeline,
  member: CommunityMember,
  profile: Profile,
  catalog: readonly CommunityTitle[],
  start: number,
  end: number,
): void {
  if (profile.publicLists === 0 || end - start < 4 * DAY) return;
  const preferred = (profile.listIdeas ?? [])
    .map((name) => LIST_IDEAS.find((idea) => idea.name === name))
    .filter((idea): idea is ListIdea => idea !== undefined);
  const ideas = [...preferred, ...random.shuffle(LIST_IDEAS.filter((idea) => !preferred.includes(idea)))];
  let made = 0;
  for (const idea of ideas) {
    if (made >= profile.publicLists) break;
    const mine = [...timeline.rated.values()]
      .filter((r) => idea.fits(r.title) && r.score >= idea.minScore)
      .sort((a, b) => b.score - a.score || a.at - b.at);
    if (mine.length < 3) continue;
    const byTime = [...mine].sort((a, b) => a.at - b.at);
    const readyAt = Math.max(start + 2 * DAY, byTime[2]!.at + HOUR);
    if (readyAt >= end - HOUR) continue;
    const createdAt = momentBetween(random, readyAt, end - HOUR);
    const size = Math.min(random.int(5, 15), mine.length + 6);
    const fill =
      idea.minScore >= 10
        ? []
        : random.weightedSample(
            catalog.filter((t) => idea.fits(t) && !timeline.rated.has(t.titleId) && t.voteAverage >= 7.3),
            (t) => t.popularity * Math.exp(affinity(profile.taste, t)),
            Math.max(0, size - mine.length),
          );
    const chosen = mine.slice(0, size);
    const listId = timeline.newListId();
    const publishLater = random.chance(0.25);
    const description = random.chance(0.75) ? random.pick(idea.descriptions) : '';
    timeline.list(createdAt, listId, {
      type: 'CreateList',
      listId,
      actorId: member.userId,
      ownerId: member.userId,
      name: idea.name,
      description,
      visibility: publishLater ? 'private' : 'public',
    });
    // Titles rated by then go in now, best first; the rest as they are rated.
    let clock = createdAt + MINUTE;
    const adds: { at: number; titleId: TitleId }[] = [];
    const add = (at: number, titleId: TitleId) => {
      adds.push({ at, titleId });
      const note = random.chance(0.3) ? itemNote(random) : undefined;
      timeline.list(at, listId, { type: 'AddListItem', listId, actorId: member.userId, titleId, ...(note === undefined ? {} : { note }) });
    };
    for (const rated of chosen.filter((r) => r.at < createdAt)) {
      add(clock, rated.title.titleId);
      clock += random.int(1, 3) * MINUTE;
    }
    for (const title of fill) {
      add(clock, title.titleId);
      clock += random.int(1, 3) * MINUTE;
    }
    for (const rated of chosen.filter((r) => r.at >= createdAt)) {
      const at = rated.at + random.int(60, 3 * 24 * 60) * MINUTE;
      if (at < end) add(at, rated.title.titleId);
    }
    if (publishLater) {
      const publishedAt = clock + random.int(1, 14) * DAY;
      if (publishedAt < end)
        timeline.list(publishedAt, listId, { type: 'UpdateList', listId, actorId: member.userId, visibility: 'public' });
    }
    // Now and then the order gets a tweak: two entries swap places.
    const order = adds.sort((a, b) => a.at - b.at);
    const last = order.at(-1)!.at;
    if (order.length >= 4 && random.chance(0.15) && end - last > 2 * HOUR) {
      const titleIds = order.map((a) => a.titleId);
      const i = random.int(0, titleIds.length - 2);
      [titleIds[i], titleIds[i + 1]] = [titleIds[i + 1]!, titleIds[i]!];
      timeline.list(momentBetween(random, last + HOUR, end), listId, {
        type: 'ReorderListItems',
        listId,
        actorId: member.userId,
        titleIds,
      });
    }
    made++;
  }
}

function privateLists(
  random: Random,
  timeline: MemberTimeline,
  member: CommunityMember,
  profile: Profile,
  unseen: readonly CommunityTitle[],
  start: number,
  end: number,
): void {
  if (profile.privateLists === 0 || end - start < 2 * DAY) return;
  const names = profile.privateListNames ?? random.shuffle(PRIVATE_LIST_NAMES).slice(0, profile.privateLists);
  for (const name of names) {
    const listId = timeline.newListId();
    const createdAt = momentBetween(random, start + DAY, end - HOUR);
    timeline.list(createdAt, listId, {
      type: 'CreateList',
      listId,
      actorId: member.userId,
      ownerId: member.userId,
      name,
      description: '',
      visibility: 'private',
    });
    const titles = random.weightedSample(unseen, (t) => watchWeight(profile.taste, t), random.int(3, 9));
    let clock = createdAt + MINUTE;
    for (const title of titles) {
      const at = random.chance(0.7) ? clock : momentBetween(random, createdAt + HOUR, end);
      timeline.list(at, listId, { type: 'AddListItem', listId, actorId: member.userId, titleId: title.titleId });
      clock += random.int(1, 2) * MINUTE;
    }
  }
}
