/**
 * The recommendations projection's costs, in process (no database): the working set the
 * projector runs, fed synthetic events.
 *
 *   npm run bench:recommendations -- --titles 10000 --users 100000 --ratings 1000000 --samples 2000
 *
 * 1. rebuild: folding every rating, the model fit (in its worker thread, as the projector
 *    does) and scoring every user once (what a rebuild computes before it writes rows);
 * 2. live: time per rating event in `apply`, which folds it and re-scores its user (median,
 *    p99), measured twice: with no fit running and while a refit runs in the worker;
 * 3. memory after all of it (heap and typed arrays).
 *
 * Prints one JSON document and a summary line.
 */
import { parseArgs } from 'node:util';
import { encodePosition, type RecordedEvent } from '@reeltime/eventstore';
import { Notices } from '../../projector/src/model/notices.ts';
import { fitInWorker } from '../../projector/src/recommendations/engine/fit-in-worker.ts';
import { storedItem } from '../../projector/src/recommendations/lists.ts';
import { recommendationsProjection } from '../../projector/src/recommendations/projection.ts';
import { RecommendationChanges, RecommendationWorkingSet } from '../../projector/src/recommendations/working-set.ts';
import { median, percentile } from '../stats.ts';
import { SYNTHETIC_GENRES, syntheticRatings, syntheticTitleId, syntheticUserId } from './synthetic.ts';

const { values: args } = parseArgs({
  options: {
    titles: { type: 'string', default: '10000' },
    users: { type: 'string', default: '100000' },
    ratings: { type: 'string', default: '1000000' },
    samples: { type: 'string', default: '2000' },
  },
});
const TITLES = Number(args.titles);
const USERS = Number(args.users);
const RATINGS = Number(args.ratings);
const SAMPLES = Number(args.samples);

let sequence = 0;
function recorded(type: string, data: unknown, at: number): RecordedEvent {
  sequence++;
  return {
    type,
    data,
    eventId: `e${sequence}`,
    schemaVersion: 1,
    occurredAt: new Date(at).toISOString(),
    correlationId: 'bench',
    causationId: 'bench',
    userId: null,
    streamId: 'bench',
    version: 1,
    position: encodePosition(1, sequence),
  } as unknown as RecordedEvent;
}

const synthetic = syntheticRatings({ titles: TITLES, users: USERS, ratings: RATINGS });
const { pickTitle, rand } = synthetic;
const GENRES = SYNTHETIC_GENRES;
const titleId = syntheticTitleId;
const userId = syntheticUserId;

// Steps of the projector's default length (RECOMMENDATIONS_UPKEEP_MS): what a step holds on to
// until it is written is part of the cost (longer steps keep more garbage alive).
const workingSet = new RecommendationWorkingSet({ refitMs: 0, refitShare: 0, upkeepBudgetMs: 50 }, recommendationsProjection.eventTypes);
const changes = await workingSet.load();
const notices = new Notices();

const memoryBefore = process.memoryUsage();
const rebuildStarted = performance.now();
let folded = 0;
for (const event of synthetic.events) {
  workingSet.applyEvent(changes, recorded(event.type, event.data, event.at));
  if (event.type === 'TitleRated') folded++;
}
const foldMs = performance.now() - rebuildStarted;

// What a caught-up build does next (its upkeep steps): the fit in a worker thread, then
// scoring every user once, each step's rows serialized as the projection's flush does (here
// without writing them: bench:recommendations:rebuild measures the whole rebuild with PostgreSQL).
const upkeepStarted = performance.now();
let fitMs = 0;
let scoreCpu: NodeJS.CpuUsage | undefined;
let serialized = 0;
while (workingSet.pending()) {
  const stepStarted = performance.now();
  const step = await workingSet.upkeep();
  if (step === undefined) {
    await new Promise((resolve) => setTimeout(resolve, 5));
    continue;
  }
  if (fitMs === 0) {
    fitMs = stepStarted - upkeepStarted;
    scoreCpu = process.cpuUsage();
  }
  serialized += JSON.stringify(
    Object.fromEntries(
      [...step.state.users].map(([user, items]) => [
        user,
        items?.map((item) => storedItem(item, (id) => workingSet.nameShown(id))) ?? null,
      ]),
    ),
  ).length;
}
const scoreAllMs = performance.now() - upkeepStarted - fitMs;
// CPU time of the scoring (this process, GC included): steadier than wall time on a busy machine.
const scoreCpuMs =
  scoreCpu === undefined
    ? 0
    : (() => {
        const used = process.cpuUsage(scoreCpu);
        return (used.user + used.system) / 1000;
      })();

function liveRound(): number[] {
  const times: number[] = [];
  for (let s = 0; s < SAMPLES; s++) {
    const u = Math.floor(rand() * USERS);
    const event = recorded(
      'TitleRated',
      { userId: userId(u), titleId: titleId(pickTitle(u % GENRES.length)), score: 8, containsSpoilers: false },
      Date.now(),
    );
    const batch = new RecommendationChanges(workingSet);
    const t = performance.now();
    workingSet.applyEvent(batch, event);
    workingSet.settle(batch, notices);
    times.push(performance.now() - t);
  }
  return times;
}
const quiet = liveRound();
// The same while a refit runs in the worker.
const refitSnapshot = workingSet.engine.snapshot();
let refitDone = false;
const refitting = fitInWorker(refitSnapshot.input, workingSet.engine.options).then(() => (refitDone = true));
const duringFit: number[] = [];
while (!refitDone) {
  duringFit.push(...liveRound().slice(0, 200));
  await new Promise((resolve) => setImmediate(resolve));
}
await refitting;
const memory = process.memoryUsage();

const mb = (bytes: number) => Math.round(bytes / 1048576);
const round = (ms: number) => Math.round(ms * 1000) / 1000;
const result = {
  titles: TITLES,
  users: USERS,
  ratings: folded,
  modelTitles: workingSet.engine.model?.size ?? 0,
  // Fit = until the first upkeep step wrote rows (the worker's fit plus that first step).
  rebuild: {
    foldMs: Math.round(foldMs),
    fitMs: Math.round(fitMs),
    scoreAllMs: Math.round(scoreAllMs),
    totalMs: Math.round(foldMs + fitMs + scoreAllMs),
    scoreCpuMs: Math.round(scoreCpuMs),
    serializedMb: mb(serialized),
  },
  live: {
    perEventMs: { p50: round(median(quiet)), p99: round(percentile(quiet, 99)), samples: quiet.length },
    perEventDuringRefitMs: { p50: round(median(duringFit)), p99: round(percentile(duringFit, 99)), samples: duringFit.length },
  },
  memoryMb: { heapUsed: mb(memory.heapUsed - memoryBefore.heapUsed), arrayBuffers: mb(memory.arrayBuffers), rss: mb(memory.rss) },
};
console.log(JSON.stringify(result, null, 2));
console.log(
  `summary: ${TITLES} titles, ${USERS} users, ${folded} ratings: rating event p50 ${result.live.perEventMs.p50} ms p99 ${result.live.perEventMs.p99} ms ` +
    `(during a refit p50 ${result.live.perEventDuringRefitMs.p50} p99 ${result.live.perEventDuringRefitMs.p99}); rebuild ${(result.rebuild.totalMs / 1000).toFixed(1)} s ` +
    `(fold ${(foldMs / 1000).toFixed(1)}, fit ${(fitMs / 1000).toFixed(1)}, score ${(scoreAllMs / 1000).toFixed(1)}, of which CPU ${(scoreCpuMs / 1000).toFixed(1)}); heap ${result.memoryMb.heapUsed} MB, rss ${result.memoryMb.rss} MB`,
);
