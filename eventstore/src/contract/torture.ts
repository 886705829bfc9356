import { randomUUID } from 'node:crypto';
import { ConcurrencyError } from '../errors.ts';
import type { AppendOptions, NewEvent, Position, RecordedEvent } from '../port.ts';
import { itemAdded, listStream } from '../testing/events.ts';
import type { ContractHarness } from './harness.ts';

/** Anything that yields events in global order and can say how far it got. */
export type TortureReader = AsyncIterable<RecordedEvent> & { readonly checkpoint: Position; close(): Promise<void> };

export type TortureOptions = {
  writers?: number;
  appendsPerWriter?: number;
  sharedStreams?: number;
  /** Longest time an append's transaction stays open. */
  maxHoldMs?: number;
  rollbackRate?: number;
  /** How subscribers are made; defaults to the store's own subscribe. */
  subscribe?: (from: Position | undefined) => TortureReader;
  /** After the writers finish, how long subscribers get to see every committed event. */
  settleMs?: number;
};

export type TortureReport = { committed: number; rolledBack: number; problems: string[] };

/** What one subscriber saw: event ids in order, and where each was (for diagnosing). */
type View = { ids: string[]; positions: string[] };

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * 16 writers append to shared and private streams; some appends are held open for a random
 * short time (committing out of sequence order), some are rolled back. Two subscribers read
 * from the start of the torture's window, a third stops midway and resumes from its saved
 * checkpoint. Reports every way a subscriber's view differs from what was committed.
 */
export async function runTorture(harness: ContractHarness, options: TortureOptions = {}): Promise<TortureReport> {
  const { store } = harness;
  const writers = options.writers ?? 16;
  const appendsPerWriter = options.appendsPerWriter ?? 40;
  const maxHoldMs = options.maxHoldMs ?? 25;
  const rollbackRate = options.rollbackRate ?? 0.15;
  const subscribe = options.subscribe ?? ((from) => store.subscribe({ from, batchSize: 50 }));
  const shared = Array.from({ length: options.sharedStreams ?? 4 }, () => randomUUID());
  const mine = new Set<string>(shared.map(listStream));

  const from = await store.headPosition();
  const committed = new Set<string>();
  const rolledBack = new Set<string>();
  let writersDone = false;
  let writersDoneAt = Infinity;

  const subscriber = async (resumeAfter?: number): Promise<View> => {
    const seen: string[] = [];
    const positions: string[] = [];
    const seenSet = new Set<string>();
    const deadline = () => writersDone && [...committed].every((id) => seenSet.has(id));
    let reader = subscribe(from);
    let stopAt = Date.now() + 120_000;
    for (let round = 0; ; round++) {
      let restart = false;
      const watchdog = setInterval(() => {
        // Once every committed event was seen, linger briefly to catch extras; give up 10 s after the writers.
        if (deadline() && stopAt > Date.now() + (options.settleMs ?? 300)) stopAt = Date.now() + (options.settleMs ?? 300);
        stopAt = Math.min(stopAt, writersDoneAt + 10_000);
        if (Date.now() >= stopAt) void reader.close();
      }, 20);
      try {
        for await (const event of reader) {
          if (!mine.has(event.streamId)) continue;
          seen.push(event.eventId);
          positions.push(`${event.streamId}@${event.version} ${event.position}`);
          seenSet.add(event.eventId);
          if (round === 0 && resumeAfter !== undefined && seen.length >= resumeAfter) {
            restart = true;
            break;
          }
        }
      } finally {
        clearInterval(watchdog);
      }
      if (!restart) return { ids: seen, positions };
      const checkpoint = reader.checkpoint;
      await reader.close();
      await sleep(50);
      reader = subscribe(checkpoint);
    }
  };

  const writer = async (w: number) => {
    const ownList = randomUUID();
    mine.add(listStream(ownList));
    let ownVersion = 0;
    for (let i = 0; i < appendsPerWriter; i++) {
      const useShared = Math.random() < 0.5;
      const listId = useShared ? shared[i % shared.length]! : ownList;
      const stream = listStream(listId);
      const events: NewEvent[] = Array.from({ length: 1 + Math.floor(Math.random() * 3) }, (_, k) =>
        itemAdded(listId, w * 10_000 + i * 10 + k + 1, randomUUID()),
      );
      const appendOptions: AppendOptions = { expectedVersion: useShared ? 'any' : ownVersion === 0 ? 'no_stream' : ownVersion };
      const rollback = Math.random() < rollbackRate;
      const ids = events.map((e) => e.eventId!);
      if (harness.appendHeldOpen) {
        const holdMs = Math.random() < 0.3 ? 0 : Math.random() * maxHoldMs;
        const result = await harness.appendHeldOpen(stream, events, appendOptions, { holdMs, rollback });
        if (result === 'rolled_back') ids.forEach((id) => rolledBack.add(id));
        else {
          ids.forEach((id) => committed.add(id));
          if (!useShared) ownVersion = result.nextVersion;
        }
      } else if (rollback) {
        // Without client transactions, a refused append is the rollback: it must leave no trace.
        await store.appendToStream(stream, events, { expectedVersion: 1_000_000 }).then(
          () => ids.forEach((id) => committed.add(id)),
          (error: unknown) => {
            if (!(error instanceof ConcurrencyError)) throw error;
            ids.forEach((id) => rolledBack.add(id));
          },
        );
      } else {
        await sleep(Math.random() * maxHoldMs);
        const result = await store.appendToStream(stream, events, appendOptions);
        ids.forEach((id) => committed.add(id));
        if (!useShared) ownVersion = result.nextVersion;
      }
    }
  };

  const expectedTotal = writers * appendsPerWriter * 2 * (1 - rollbackRate);
  const subscribers = [subscriber(), subscriber(), subscriber(Math.floor(expectedTotal / 3))];
  await Promise.all(Array.from({ length: writers }, (_, w) => writer(w)));
  writersDone = true;
  writersDoneAt = Date.now();
  const views = await Promise.all(subscribers);

  const problems: string[] = [];
  views.forEach(({ ids: view, positions }, s) => {
    const counts = new Map<string, number>();
    for (const id of view) counts.set(id, (counts.get(id) ?? 0) + 1);
    const duplicates = [...counts].filter(([, n]) => n > 1);
    const duplicated = duplicates.length;
    const missing = [...committed].filter((id) => !counts.has(id)).length;
    const phantom = view.filter((id) => rolledBack.has(id)).length;
    const unknown = view.filter((id) => !committed.has(id) && !rolledBack.has(id)).length;
    if (duplicated) {
      const example = duplicates[0]![0];
      const at = view.flatMap((id, i) => (id === example ? [i] : []));
      const where = positions
        .slice(Math.max(0, at[0]! - 2), at.at(-1)! + 2)
        .map((p, i) => `#${Math.max(0, at[0]! - 2) + i} ${p}`)
        .join(', ');
      problems.push(`subscriber ${s}: ${duplicated} event(s) seen more than once (${example} at ${where} of ${view.length})`);
    }
    if (missing) problems.push(`subscriber ${s}: ${missing} of ${committed.size} committed event(s) never seen`);
    if (phantom) problems.push(`subscriber ${s}: ${phantom} event(s) of rolled-back appends seen`);
    if (unknown) problems.push(`subscriber ${s}: ${unknown} event(s) nobody committed`);
  });
  for (let s = 1; s < views.length; s++) {
    if (views[s]!.ids.join() !== views[0]!.ids.join()) problems.push(`subscriber ${s} saw another order than subscriber 0`);
  }
  return { committed: committed.size, rolledBack: rolledBack.size, problems };
}
