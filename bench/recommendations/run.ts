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
import { recommendationsProjection } from '../../projector/src/recommendations/projection.ts';
import { RecommendationChanges, RecommendationWorkingSet } from '../../projector/src/recommendations/working-set.ts';
import { median, percentile } from '../stats.ts';

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

const GENRES = [28, 12, 16, 35, 80, 99, 18, 10751, 14, 36, 27, 10402, 9648, 10749, 878, 53, 10752, 37];
/** A deterministic pseudo-random stream (mulberry32), so runs compare. */
function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

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

const rand = random(42);
const start = Date.UTC(2026, 0, 1);
const titleId = (i: number) => `movie:${i + 1}`;
const userId = (u: number) => `00000000-0000-4000-8000-${String(u).padStart(12, '0')}`;
/** Popularity is long-tailed and tastes cluster by genre: title i's genre is i mod GENRES. */
function pickTitle(taste: number): number {
  const popular = Math.floor(TITLES * Math.pow(rand(), 3));
  if (rand() < 0.5) return popular;
  const inGenre = Math.floor((TITLES / GENRES.length) * Math.pow(rand(), 2));
  return Math.min(TITLES - 1, inGenre * GENRES.length + taste);
}

const workingSet = new RecommendationWorkingSet({ refitMs: 0, refitShare: 0, upkeepBudgetMs: 10_000 }, recommendationsProjection.eventTypes);
const changes = await workingSet.load();
const notices = new Notices();

const memoryBefore = process.memoryUsage();
const rebuildStarted = performance.now();
for (let i = 0; i < TITLES; i++) {
  const genre = GENRES[i % GENRES.length]!;
  workingSet.apply(
    changes,
    recorded(
      'TitleImported',
      {
        titleId: titleId(i),
        mediaType: 'movie',
        tmdbId: i + 1,
        imdbId: null,
        title: `Title ${i}`,
        originalTitle: `Title ${i}`,
        overview: '',
        releaseDate: null,
        year: 2000,
        runtimeMinutes: 100,
        originalLanguage: 'en',
        genreIds: [genre],
        keywords: [],
        cast: [{ personId: (i % 500) + 1, name: `Actor ${i % 500}`, character: '', order: 0 }],
        directors: [{ personId: 1000 + (i % 300), name: `Director ${i % 300}` }],
        posterPath: null,
        backdropPath: null,
        popularity: 1,
        voteAverage: 7,
        voteCount: 10,
        watchProviders: {},
      },
      start,
    ),
    notices,
  );
}
const perUser = RATINGS / USERS;
let folded = 0;
for (let u = 0; u < USERS; u++) {
  const taste = u % GENRES.length;
  const count = Math.max(1, Math.round(perUser * (0.3 + 1.4 * rand())));
  const at = start + Math.floor(rand() * 300 * 86_400_000);
  const seen = new Set<number>();
  for (let k = 0; k < count && folded < RATINGS; k++) {
    const title = pickTitle(taste);
    if (seen.has(title)) continue;
    seen.add(title);
    workingSet.apply(changes, recorded('TitleRated', { userId: userId(u), titleId: titleId(title), score: 5 + Math.floor(rand() * 6), containsSpoilers: false }, at + k * 60_000), notices);
    folded++;
  }
}
const foldMs = performance.now() - rebuildStarted;

// What a caught-up build does next (its upkeep steps): the fit in a worker thread, then
// scoring every user once (here without writing the rows).
const upkeepStarted = performance.now();
let fitMs = 0;
while (workingSet.pending()) {
  const step = workingSet.upkeep();
  if (step === undefined) await new Promise((resolve) => setTimeout(resolve, 5));
  else if (fitMs === 0) fitMs = performance.now() - upkeepStarted;
}
const scoreAllMs = performance.now() - upkeepStarted - fitMs;

function liveRound(): number[] {
  const times: number[] = [];
  for (let s = 0; s < SAMPLES; s++) {
    const u = Math.floor(rand() * USERS);
    const event = recorded('TitleRated', { userId: userId(u), titleId: titleId(pickTitle(u % GENRES.length)), score: 8, containsSpoilers: false }, Date.now());
    const batch = new RecommendationChanges(workingSet);
    const t = performance.now();
    workingSet.apply(batch, event, notices);
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
  rebuild: { foldMs: Math.round(foldMs), fitMs: Math.round(fitMs), scoreAllMs: Math.round(scoreAllMs), totalMs: Math.round(foldMs + fitMs + scoreAllMs) },
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
    `(fold ${(foldMs / 1000).toFixed(1)}, fit ${(fitMs / 1000).toFixed(1)}, score ${(scoreAllMs / 1000).toFixed(1)}); heap ${result.memoryMb.heapUsed} MB, rss ${result.memoryMb.rss} MB`,
);
