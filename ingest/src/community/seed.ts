/*
 * Writes the demo community (see plan.ts) into the store and the command side's account tables.
 *
 * Once per database: a row in `<ingest schema>.demo_community` records the anchor and the
 * catalog the plan was made from before anything is written, and is marked complete at the end.
 * A run killed half-way is resumed by the next: the plan is made again from the same anchor and
 * titles, so it is the same, and every event id is derived from its stream and version, so the
 * store recognises what was already appended (an idempotent retry) and adds only the rest.
 */
import { AccountStore } from '@reeltime/command-api/src/accounts/account-store.ts';
import { hashPassword, UNUSABLE_PASSWORD_HASH } from '@reeltime/command-api/src/accounts/passwords.ts';
import { registerAccount, registrationWrites } from '@reeltime/command-api/src/accounts/register.ts';
import { migrateCommandTables } from '@reeltime/command-api/src/migrations.ts';
import type { EventStore } from '@reeltime/eventstore';
import { assertSchemaName } from '@reeltime/eventstore/postgres';
import { listStream, titleStream, userStream } from '@reeltime/schemas';
import pLimit from 'p-limit';
import type pg from 'pg';
import type { Logger } from 'pino';
import type { ProgressStore } from '../sync/progress-store.ts';
import { loadDemoTitles, type CommunityTitle } from './catalog.ts';
import { DEMO_ACCOUNT_PASSWORD } from './credentials.ts';
import { communityId } from './community-id.ts';
import { planCommunity, type PlannedWrite } from './plan.ts';

const COMMUNITY = 'demo';

export type SeedCommunityOptions = {
  store: EventStore;
  /** The ingest progress store: its lock keeps two seeds apart, its schema holds the marker row. */
  progress: ProgressStore;
  /** Schema of the ingest tables (`INGEST_SCHEMA`). */
  progressSchema: string;
  /** Schema of the command side's account tables (`COMMAND_SCHEMA`), in the same database. */
  commandSchema: string;
  log: Logger;
  /** The catalog to plan on; default the bundled demo catalog, limited to titles in the store. */
  titles?: readonly CommunityTitle[];
  /** Community members besides the demo account (default 220). */
  people?: number;
  seed?: string;
  /** The clock, for tests. */
  now?: () => Date;
  /** Writes in flight (default 16: the store's default pool size). */
  concurrency?: number;
  /** log2 of scrypt's N for the demo password; lowered only by tests. */
  passwordCost?: number;
  signal?: AbortSignal;
  /** Stop after this many writes, as if killed (tests of resumption). */
  stopAfter?: number;
};

export type SeedOutcome = {
  status: 'seeded' | 'already_seeded';
  /** True when an earlier, unfinished attempt was picked up. */
  resumed: boolean;
  anchor: string;
  members: number;
  events: number;
  writes: number;
  ms: number;
};

/** The demo account's user id: its stream existing means the community was written. */
const demoUserId = communityId('user:demo');

type Marker = { anchor: Date; title_ids: string[]; completed_at: Date | null };

async function titlesInStore(store: EventStore, titles: readonly CommunityTitle[]): Promise<CommunityTitle[]> {
  const limit = pLimit(16);
  const present = await Promise.all(titles.map((title) => limit(async () => (await store.streamVersion(titleStream(title.titleId))) > 0)));
  return titles.filter((_, i) => present[i]);
}

export async function seedCommunity(options: SeedCommunityOptions): Promise<SeedOutcome> {
  const started = performance.now();
  const { store, progress, log } = options;
  const pool: pg.Pool = progress.pool;
  const marker = `${assertSchemaName(options.progressSchema)}.demo_community`;
  const commandSchema = assertSchemaName(options.commandSchema);
  // command-api may not have started yet (npm start runs both at once); the migration is idempotent and locked.
  await migrateCommandTables(pool, commandSchema);
  const release = await progress.lock('demo-community');
  try {
    const { rows } = await pool.query<Marker>(`SELECT anchor, title_ids, completed_at FROM ${marker} WHERE community = $1`, [COMMUNITY]);
    let row = rows[0];
    const demoRegistered = async () => (await store.streamVersion(userStream(demoUserId))) > 0;
    const already = (anchor: Date): SeedOutcome => ({
      status: 'already_seeded',
      resumed: false,
      anchor: anchor.toISOString(),
      members: 0,
      events: 0,
      writes: 0,
      ms: performance.now() - started,
    });
    if (row?.completed_at) {
      if (await demoRegistered()) return already(row.anchor);
      log.warn('the demo community is marked as seeded but its events are missing: seeding it again');
    } else if (!row && (await demoRegistered())) {
      // The community is there but its marker is not (the ingest schema was dropped): keep it as it is.
      await pool.query(`INSERT INTO ${marker} (community, anchor, title_ids, completed_at) VALUES ($1, now(), '{}', now())`, [COMMUNITY]);
      return already(new Date());
    }

    const resumed = row !== undefined;
    let titles: readonly CommunityTitle[];
    if (row) {
      const wanted = new Set(row.title_ids);
      titles = (options.titles ?? (await loadDemoTitles())).filter((title) => wanted.has(title.titleId));
    } else {
      titles = await titlesInStore(store, options.titles ?? (await loadDemoTitles()));
      if (titles.length === 0)
        throw new Error('no catalog titles in the event store: import the catalog before seeding the demo community');
      const now = (options.now ?? (() => new Date()))();
      const anchor = new Date(Math.floor(now.getTime() / 60_000) * 60_000);
      await pool.query(`INSERT INTO ${marker} (community, anchor, title_ids) VALUES ($1, $2, $3)`, [
        COMMUNITY,
        anchor,
        titles.map((t) => t.titleId),
      ]);
      row = { anchor, title_ids: titles.map((t) => t.titleId), completed_at: null };
    }

    const plan = planCommunity(titles, { anchor: row.anchor, people: options.people, seed: options.seed });
    log.info(
      {
        anchor: plan.anchor,
        members: plan.members.length,
        events: plan.events,
        writes: plan.writes.length,
        resumed,
        plannedInMs: Math.round(performance.now() - started),
      },
      'seeding the demo community',
    );
    await writePlan(options, pool, commandSchema, plan.writes);
    const summary = { members: plan.members.length, events: plan.events, writes: plan.writes.length, counts: plan.counts };
    await pool.query(`UPDATE ${marker} SET completed_at = now(), summary = $2 WHERE community = $1`, [COMMUNITY, summary]);
    return {
      status: 'seeded',
      resumed,
      anchor: plan.anchor,
      members: plan.members.length,
      events: plan.events,
      writes: plan.writes.length,
      ms: performance.now() - started,
    };
  } finally {
    await release();
  }
}

class StoppedEarly extends Error {
  override readonly name = 'StoppedEarly';
}

/**
 * Writes in plan order, many at a time (as many as the store's pool has connections): each
 * waits only for the earlier writes to its own streams, and they reach the store roughly in
 * plan order, so positions (the order of the feed) follow the dates.
 */
async function writePlan(
  options: SeedCommunityOptions,
  pool: pg.Pool,
  commandSchema: string,
  writes: readonly PlannedWrite[],
): Promise<void> {
  const { store } = options;
  const accounts = new AccountStore(pool, commandSchema);
  const deps = { store, accounts, pool };
  const registeredIds = writes.flatMap((write) => (write.kind === 'register' ? [write.member.userId] : []));
  const { rows } = await pool.query<{ user_id: string }>(`SELECT user_id FROM ${commandSchema}.accounts WHERE user_id = ANY($1::uuid[])`, [
    registeredIds,
  ]);
  const existing = new Set(rows.map((row) => row.user_id));
  // Community members get a hash no password matches: valid accounts (in every read model,
  // owners of lists and ratings) that simply cannot sign in, without 220 scrypt runs of
  // throwaway passwords (~60 ms each). Only the demo account has a password.
  const demoHash = existing.has(demoUserId) ? UNUSABLE_PASSWORD_HASH : await hashPassword(DEMO_ACCOUNT_PASSWORD, options.passwordCost);

  const write = async (planned: PlannedWrite): Promise<void> => {
    if (planned.kind === 'append') {
      await store.appendToStream(planned.stream, planned.events, { expectedVersion: planned.expectedVersion });
      return;
    }
    const account = { ...planned.account, passwordHash: planned.member.demo ? demoHash : UNUSABLE_PASSWORD_HASH };
    if (existing.has(planned.member.userId)) {
      // The row is there; its events are recognised as stored, or written if they are not
      // (with another store than PostgreSQL the process may have died between the two).
      for (const stream of registrationWrites(account))
        await store.appendToStream(stream.stream, stream.events, { expectedVersion: stream.expectedVersion });
    } else if ((await registerAccount(deps, account)).kind === 'email_taken') {
      throw new Error(`cannot seed the demo community: ${account.email} already belongs to another account`);
    }
  };

  const limit = pLimit(options.concurrency ?? 16);
  const tails = new Map<string, Promise<unknown>>();
  let failure: unknown;
  let started = 0;
  const tasks = writes.map((planned) => {
    const streams =
      planned.kind === 'append' ? [planned.stream] : [userStream(planned.member.userId), listStream(planned.member.watchlistId)];
    const before = streams.map((stream) => tails.get(stream));
    // Queued in plan order. The writes it waits for were queued earlier, so they are running or
    // done: the wait is short, and a write to a busy stream is not pushed behind later writes.
    const task = limit(async () => {
      await Promise.all(before);
      if (failure !== undefined) return;
      if (options.signal?.aborted) throw (failure = options.signal.reason ?? new StoppedEarly('stopped'));
      if (options.stopAfter !== undefined && started >= options.stopAfter)
        throw (failure = new StoppedEarly(`stopped after ${started} writes`));
      started++;
      try {
        await write(planned);
      } catch (error) {
        failure ??= error;
        throw error;
      }
    });
    // The next write to these streams waits for this one, whether it succeeded or not.
    const settled = task.catch(() => {});
    for (const stream of streams) tails.set(stream, settled);
    return settled;
  });
  await Promise.all(tasks);
  if (failure !== undefined) throw failure;
}
