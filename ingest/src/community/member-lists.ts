/* The lists a demo community member makes: public ones from what they rated well, private ones of things to see. */
import type { TitleId } from '@reeltime/schemas';
import type { CommunityTitle } from './catalog.ts';
import type { CommunityMember, MemberTimeline } from './member-timeline.ts';
import { DAY, HOUR, MINUTE, momentBetween } from './moments.ts';
import type { Profile } from './profiles.ts';
import type { Random } from './random.ts';
import { affinity, watchWeight } from './tastes.ts';
import { LIST_IDEAS, PRIVATE_LIST_NAMES, itemNote, type ListIdea } from './texts.ts';

export function publicLists(
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

export function privateLists(
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
