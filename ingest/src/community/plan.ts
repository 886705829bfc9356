/*
 * From the generated activity to what the seed writes: every command goes through the
 * command-api's own decider (the same decide/evolve the HTTP handlers run), and registrations
 * through its registration code, so the events are exactly those real users produce. Pure.
 */
import { registrationWrites, type NewAccount } from '@reeltime/command-api/src/accounts/register.ts';
import { diaryDecider } from '@reeltime/command-api/src/diary/index.ts';
import { listDecider } from '@reeltime/command-api/src/lists/index.ts';
import { preferencesDecider } from '@reeltime/command-api/src/preferences/index.ts';
import { ratingDecider } from '@reeltime/command-api/src/ratings/index.ts';
import type { NewEvent } from '@reeltime/eventstore';
import type { Decider } from '@reeltime/decider';
import { listStream, type ReelEvent } from '@reeltime/schemas';
import type { CommunityTitle } from './catalog.ts';
import { communityId } from './community-id.ts';
import { generateActivity, type CommunityActivity, type GenerateOptions } from './generate.ts';
import type { CommunityMember, PlannedCommand } from './member-timeline.ts';

/** Appends to one stream closer together than this (one sitting) are written as one append. */
const SESSION_MS = 30 * 60_000;

/** Id of the event at `version` of `stream`: the same on every run, so a re-run is recognised as stored. */
export const communityEventId = (stream: string, version: number) => communityId(`event:${stream}:${version}`);

/** A registration (account row, `UserRegistered`, the watchlist); the seed adds the password hash. */
export type PlannedRegistration = { kind: 'register'; at: number; member: CommunityMember; account: Omit<NewAccount, 'passwordHash'> };

/** Events for one stream, appended at the version the stream had when they were decided. */
export type PlannedAppend = { kind: 'append'; at: number; stream: string; expectedVersion: number | 'no_stream'; events: NewEvent[] };

export type PlannedWrite = PlannedRegistration | PlannedAppend;

export type CommunityPlan = {
  anchor: string;
  members: CommunityMember[];
  /** In the order to write them: oldest first. */
  writes: PlannedWrite[];
  /** Events by type, registrations included. */
  counts: Record<string, number>;
  events: number;
};

type AnyDecider = Decider<unknown, unknown, ReelEvent>;
const DECIDERS: Record<PlannedCommand['aggregate'], AnyDecider> = {
  list: listDecider as unknown as AnyDecider,
  rating: ratingDecider as unknown as AnyDecider,
  diary: diaryDecider as unknown as AnyDecider,
  preferences: preferencesDecider as unknown as AnyDecider,
};

type StreamState = { state: unknown; version: number; open: PlannedAppend | null; lastAt: number };

/** Decides every command in order, each stream from the state its earlier events left. */
export function decideActivity(activity: CommunityActivity): CommunityPlan {
  const streams = new Map<string, StreamState>();
  const writes: PlannedWrite[] = [];
  const counts: Record<string, number> = {};
  const count = (type: string) => (counts[type] = (counts[type] ?? 0) + 1);

  // Registrations first in time for each member; merged with the commands by time below.
  const registrations: PlannedRegistration[] = activity.members.map((member) => {
    const cause = `demo-community:${member.key}:register`;
    const account: PlannedRegistration['account'] = {
      userId: member.userId,
      watchlistId: member.watchlistId,
      email: member.email,
      displayName: member.displayName,
      metadata: { correlationId: cause, causationId: cause, occurredAt: new Date(member.registeredAt).toISOString() },
      eventId: (stream, index) => communityEventId(stream, index + 1),
    };
    return { kind: 'register', at: member.registeredAt, member, account };
  });
  registrations.sort((a, b) => a.at - b.at);

  let next = 0;
  const register = (registration: PlannedRegistration) => {
    writes.push(registration);
    const registrationEvents = registrationWrites({ ...registration.account, passwordHash: '' });
    for (const write of registrationEvents) for (const event of write.events) count(event.type);
    // Later commands on the watchlist decide against the list the registration created.
    const watchlist = registrationEvents.find((write) => write.stream === listStream(registration.member.watchlistId))!;
    const state = watchlist.events.reduce((s, e) => DECIDERS.list.evolve(s, e as ReelEvent), DECIDERS.list.initialState);
    streams.set(watchlist.stream, { state, version: watchlist.events.length, open: null, lastAt: registration.at });
  };

  for (const planned of activity.commands) {
    while (next < registrations.length && registrations[next]!.at <= planned.at) register(registrations[next++]!);
    const decider = DECIDERS[planned.aggregate];
    let stream = streams.get(planned.stream);
    if (!stream) {
      stream = { state: decider.initialState, version: 0, open: null, lastAt: planned.at };
      streams.set(planned.stream, stream);
    }
    // A refusal here is a generator bug: let it fail loudly with the command that caused it.
    let events: ReelEvent[];
    try {
      events = decider.decide(planned.command, stream.state);
    } catch (error) {
      throw new Error(`demo community: ${planned.command.type} on ${planned.stream} refused: ${(error as Error).message}`, {
        cause: error,
      });
    }
    if (events.length === 0) continue;
    const metadata = {
      correlationId: planned.commandId,
      causationId: planned.commandId,
      userId: activity.members[planned.member]!.userId,
      occurredAt: new Date(planned.at).toISOString(),
    };
    const stored: NewEvent[] = events.map((event, index) => ({
      ...event,
      eventId: communityEventId(planned.stream, stream.version + index + 1),
      metadata,
    }));
    if (stream.open && planned.at - stream.lastAt <= SESSION_MS) {
      stream.open.events.push(...stored);
    } else {
      stream.open = {
        kind: 'append',
        at: planned.at,
        stream: planned.stream,
        expectedVersion: stream.version === 0 ? 'no_stream' : stream.version,
        events: stored,
      };
      writes.push(stream.open);
    }
    for (const event of events) {
      stream.state = decider.evolve(stream.state, event);
      count(event.type);
    }
    stream.version += events.length;
    stream.lastAt = planned.at;
  }
  while (next < registrations.length) register(registrations[next++]!);

  return {
    anchor: new Date(activity.anchor).toISOString(),
    members: activity.members,
    writes,
    counts,
    events: Object.values(counts).reduce((sum, n) => sum + n, 0),
  };
}

/** The whole demo community for `titles`, decided: what `seedCommunity` writes. */
export function planCommunity(titles: readonly CommunityTitle[], options: GenerateOptions): CommunityPlan {
  return decideActivity(generateActivity(titles, options));
}
