/*
 * The demo community as people and what they did, over the year before `anchor`. Pure and
 * deterministic: the same catalog, anchor and seed always give the same people and commands.
 * The commands are the command-api's own (CreateList, RateTitle, LogWatch, SetPreferences...),
 * so `plan.ts` can run them through the real deciders.
 */
import type { CommunityTitle } from './catalog.ts';
import { communityId } from './community-id.ts';
import { DEMO_ACCOUNT_DISPLAY_NAME, DEMO_ACCOUNT_EMAIL } from './credentials.ts';
import { MemberTimeline, type CommunityMember, type PlannedCommand } from './member-timeline.ts';
import { liveTheYear } from './member-year.ts';
import { DAY, MINUTE, momentBetween, utcDay } from './moments.ts';
import { personNames } from './names.ts';
import { demoProfile, drawProfile } from './profiles.ts';
import { Random } from './random.ts';

export const DEFAULT_COMMUNITY_SIZE = 220;
export const DEFAULT_COMMUNITY_SEED = 'reeltime-demo-community-1';

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
    if (catalog.length > 0) liveTheYear(own, timeline, member, profile, catalog, anchor);
    commands.push(...timeline.commands);
  }
  commands.sort((a, b) => a.at - b.at || a.member - b.member || a.seq - b.seq);
  return { anchor, members, commands };
}
