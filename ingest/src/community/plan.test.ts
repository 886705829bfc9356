import { registrationWrites } from '@reeltime/command-api/src/accounts/register.ts';
import type { NewEvent } from '@reeltime/eventstore';
import { invalidEvents } from '@reeltime/decider/testing';
import type { EventData, ReelEvent } from '@reeltime/schemas';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadDemoTitles, type CommunityTitle } from './catalog.ts';
import { DEMO_ACCOUNT_EMAIL } from './credentials.ts';
import { communityEventId, planCommunity, type CommunityPlan, type PlannedAppend } from './plan.ts';

const ANCHOR = new Date('2026-06-15T18:30:00Z');
const DAY = 86_400_000;

type Stored = NewEvent & { stream: string; version: number };

/** Every planned event with its stream and version, in write order (registrations included). */
function eventsOf(plan: CommunityPlan): Stored[] {
  const versions = new Map<string, number>();
  const out: Stored[] = [];
  const take = (stream: string, events: readonly NewEvent[]) => {
    for (const event of events) {
      const version = (versions.get(stream) ?? 0) + 1;
      versions.set(stream, version);
      out.push({ ...event, stream, version });
    }
  };
  for (const write of plan.writes) {
    if (write.kind === 'append') take(write.stream, write.events);
    else
      for (const registration of registrationWrites({ ...write.account, passwordHash: '' })) take(registration.stream, registration.events);
  }
  return out;
}

const ofType = <T extends ReelEvent['type']>(events: readonly Stored[], type: T) =>
  events
    .filter((e) => e.type === type)
    .map((e) => ({
      ...(e.data as EventData<T>),
      at: e.metadata?.occurredAt ?? '',
      userId: e.metadata?.userId ?? (e.data as { userId?: string }).userId,
    }));

describe('the demo community plan', () => {
  let titles: CommunityTitle[];
  let plan: CommunityPlan;
  let events: Stored[];
  beforeAll(async () => {
    titles = await loadDemoTitles();
    plan = planCommunity(titles, { anchor: ANCHOR });
    events = eventsOf(plan);
  });

  describe('given the demo catalog and an anchor', () => {
    it('when planned again, then it is the same plan, event for event (a seeded generator, no clock)', () => {
      const again = planCommunity(titles, { anchor: ANCHOR });
      expect(JSON.stringify(again)).toBe(JSON.stringify(plan));
    });

    it('when the catalog comes in another order, then the plan does not change', () => {
      expect(JSON.stringify(planCommunity([...titles].reverse(), { anchor: ANCHOR }))).toBe(JSON.stringify(plan));
    });

    it('when planned with another seed, then it is another community', () => {
      const other = planCommunity(titles, { anchor: ANCHOR, seed: 'another community', people: 20 });
      expect(other.members.slice(0, 20).map((m) => m.displayName)).not.toEqual(plan.members.slice(0, 20).map((m) => m.displayName));
    });
  });

  it('holds only events the store accepts, with ids derived from stream and version', () => {
    expect(invalidEvents(events as unknown as ReelEvent[])).toEqual([]);
    for (const event of events) expect(event.eventId).toBe(communityEventId(event.stream, event.version));
    expect(new Set(events.map((e) => e.eventId)).size).toBe(events.length);
    expect(events.length).toBe(plan.events);
    const counted: Record<string, number> = {};
    for (const event of events) counted[event.type] = (counted[event.type] ?? 0) + 1;
    expect(counted).toEqual(plan.counts);
  });

  it('spreads everything over the year before the anchor, oldest first', () => {
    const times = plan.writes.map((w) => w.at);
    expect(times).toEqual([...times].sort((a, b) => a - b));
    for (const write of plan.writes.filter((w): w is PlannedAppend => w.kind === 'append')) {
      for (const event of write.events) {
        const at = Date.parse(event.metadata!.occurredAt!);
        expect(at).toBeLessThanOrEqual(ANCHOR.getTime());
        expect(at).toBeGreaterThan(ANCHOR.getTime() - 366 * DAY);
      }
    }
    const months = new Set(ofType(events, 'TitleWatched').map((w) => w.watchedOn.slice(0, 7)));
    expect(months.size).toBeGreaterThanOrEqual(12);
    const lastWeek = ofType(events, 'TitleRated').filter((r) => Date.parse(r.at) > ANCHOR.getTime() - 7 * DAY);
    expect(lastWeek.length).toBeGreaterThan(20);
  });

  it('has at least 200 people with distinct names and emails, and the demo account', () => {
    expect(plan.members.length).toBeGreaterThanOrEqual(201);
    expect(new Set(plan.members.map((m) => m.displayName)).size).toBe(plan.members.length);
    expect(new Set(plan.members.map((m) => m.email)).size).toBe(plan.members.length);
    expect(plan.members.filter((m) => m.demo)).toMatchObject([{ email: DEMO_ACCOUNT_EMAIL, displayName: 'Demo Viewer' }]);
    // Everyone did something beyond signing up.
    const active = new Set(ofType(events, 'TitleRated').map((r) => r.userId));
    expect(active.size).toBe(plan.members.length);
  });

  it('rates 1..10 the way people do: mostly 6 to 8, some 10s, few low scores; popular titles more often', () => {
    const ratings = ofType(events, 'TitleRated');
    const histogram = Array.from({ length: 11 }, (_, score) => ratings.filter((r) => r.score === score).length);
    const mean = ratings.reduce((sum, r) => sum + r.score, 0) / ratings.length;
    expect(mean).toBeGreaterThan(6.3);
    expect(mean).toBeLessThan(7.7);
    expect(histogram.indexOf(Math.max(...histogram))).toBeGreaterThanOrEqual(6);
    expect(histogram[10]).toBeGreaterThan(ratings.length * 0.02);
    expect(histogram[1]! + histogram[2]! + histogram[3]! + histogram[4]!).toBeGreaterThan(ratings.length * 0.02);

    const count = new Map<string, number>();
    for (const r of ratings) count.set(r.titleId, (count.get(r.titleId) ?? 0) + 1);
    const average = (list: CommunityTitle[]) => list.reduce((sum, t) => sum + (count.get(t.titleId) ?? 0), 0) / list.length;
    // The demo catalog's series span a narrower range of popularity (about 100 to 230) than its films (10 to 230).
    for (const [mediaType, factor] of [
      ['movie', 2],
      ['tv', 1.2],
    ] as const) {
      const byPopularity = titles.filter((t) => t.mediaType === mediaType).sort((a, b) => b.popularity - a.popularity);
      const tenth = Math.ceil(byPopularity.length / 10);
      expect(average(byPopularity.slice(0, tenth))).toBeGreaterThan(factor * average(byPopularity.slice(-3 * tenth)));
    }
    // Mostly films, as on any tracker: series are a fifth of the catalog and about a quarter of the ratings.
    const series = ratings.filter((r) => r.titleId.startsWith('tv:')).length / ratings.length;
    expect(series).toBeGreaterThan(0.12);
    expect(series).toBeLessThan(0.35);
  });

  it('is taste-driven: horror fans rate horror higher and more often than everyone else', () => {
    const horror = new Set(titles.filter((t) => t.genreIds.includes(27)).map((t) => t.titleId));
    const fans = new Set(plan.members.filter((m) => m.archetypes.includes('horror')).map((m) => m.userId));
    expect(fans.size).toBeGreaterThan(5);
    const ratings = ofType(events, 'TitleRated');
    const stats = (who: (userId: string) => boolean) => {
      const mine = ratings.filter((r) => who(r.userId!));
      const onHorror = mine.filter((r) => horror.has(r.titleId));
      return { share: onHorror.length / mine.length, mean: onHorror.reduce((s, r) => s + r.score, 0) / onHorror.length };
    };
    const fan = stats((u) => fans.has(u));
    const rest = stats((u) => !fans.has(u));
    expect(fan.share).toBeGreaterThan(2 * rest.share);
    expect(fan.mean).toBeGreaterThan(rest.mean + 0.5);
  });

  it('writes short reviews on some ratings, a few of them with spoilers', () => {
    const ratings = ofType(events, 'TitleRated');
    const reviewed = ratings.filter((r) => r.review !== undefined);
    expect(reviewed.length).toBeGreaterThan(ratings.length * 0.08);
    expect(reviewed.length).toBeLessThan(ratings.length * 0.4);
    expect(reviewed.every((r) => r.review!.length <= 400)).toBe(true);
    const spoilers = reviewed.filter((r) => r.containsSpoilers);
    expect(spoilers.length).toBeGreaterThan(10);
    expect(ratings.filter((r) => r.review === undefined).every((r) => !r.containsSpoilers)).toBe(true);
  });

  it('makes public lists named like real ones, with items and notes, and private lists', () => {
    const created = ofType(events, 'ListCreated').filter((l) => l.kind === 'custom');
    const published = new Set(
      ofType(events, 'ListVisibilityChanged')
        .filter((c) => c.visibility === 'public')
        .map((c) => c.listId),
    );
    const publicLists = created.filter((l) => l.visibility === 'public' || published.has(l.listId));
    expect(publicLists.length).toBeGreaterThan(100);
    expect(new Set(publicLists.map((l) => l.name)).size).toBeGreaterThan(15);
    expect(publicLists.map((l) => l.name)).toEqual(expect.arrayContaining(['Best of the 90s', 'Comfort rewatches', 'Essential sci-fi']));
    expect(created.filter((l) => l.visibility === 'private' && !published.has(l.listId)).length).toBeGreaterThan(30);
    const items = ofType(events, 'ListItemAdded');
    const inPublic = items.filter((i) => publicLists.some((l) => l.listId === i.listId));
    expect(inPublic.length).toBeGreaterThan(publicLists.length * 4);
    expect(inPublic.filter((i) => i.note !== undefined).length).toBeGreaterThan(50);
  });

  it('keeps diaries with rewatches', () => {
    const watched = ofType(events, 'TitleWatched');
    expect(watched.length).toBeGreaterThan(1000);
    expect(watched.filter((w) => w.rewatch).length).toBeGreaterThan(50);
  });

  it('gives the demo account ratings, a watchlist, lists, a diary and preferences', () => {
    const demo = plan.members.find((m) => m.demo)!;
    const mine = events.filter((e) => e.metadata?.userId === demo.userId || (e.data as { userId?: string }).userId === demo.userId);
    const ratings = ofType(mine, 'TitleRated');
    expect(ratings.length).toBeGreaterThanOrEqual(20);
    expect(ratings.filter((r) => r.score >= 8).length).toBeGreaterThanOrEqual(5);
    const onWatchlist = (type: 'ListItemAdded' | 'ListItemRemoved') =>
      ofType(mine, type).filter((i) => i.listId === demo.watchlistId).length;
    expect(onWatchlist('ListItemAdded') - onWatchlist('ListItemRemoved')).toBeGreaterThanOrEqual(8);
    const lists = ofType(mine, 'ListCreated').filter((l) => l.kind === 'custom');
    expect(lists.length).toBeGreaterThanOrEqual(2);
    expect(lists.some((l) => l.visibility === 'private')).toBe(true);
    expect(ofType(mine, 'TitleWatched').length).toBeGreaterThanOrEqual(20);
    expect(ofType(mine, 'TitleWatched').some((w) => Date.parse(w.at) > ANCHOR.getTime() - 7 * DAY)).toBe(true);
    expect(ofType(mine, 'GenreLiked').length).toBeGreaterThanOrEqual(2);
    expect(ofType(mine, 'GenreDisliked').map((g) => g.genreId)).toEqual([27]);
    expect(ofType(mine, 'PersonLiked').length).toBeGreaterThanOrEqual(1);
  });
});
