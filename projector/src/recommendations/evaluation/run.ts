import type { RecordedEvent } from '@reeltime/eventstore';
import { movieLensTitleId, movieLensUserId, replayEvents } from './events.ts';
import { rankingMetrics, type RankingMetrics } from './metrics.ts';
import { readMovieLens, type MovieLensLayout } from './movielens.ts';
import { PopularityRecommender } from './popularity.ts';
import { stratifiedSplit } from './split.ts';

/*
 * One offline evaluation: read MovieLens, split it, replay the training ratings as Reeltime
 * events into the recommender, ask it for every held-out user's top k, and score that against
 * the held-out titles, beside a popularity baseline scored the same way.
 */

/** What the evaluation needs of a recommender: the engine's own API, nothing more. */
export type Recommender = {
  /** Event types the recommender consumes (the projection's subscription filter). */
  readonly eventTypes: readonly string[];
  apply(event: RecordedEvent): void;
  fit(): void;
  recommend(userId: string, options: { limit: number; diversity?: number }): readonly { titleId: string }[];
};

export type EvaluationOptions = {
  data: string;
  k: number;
  seed: number;
  ratio: number;
  recommender: () => Recommender;
  /** Stage names as they start (the CLI shows them on a terminal). */
  onStage?: (stage: string) => void;
};

export type ModelReport = {
  name: string;
  description: string;
  metrics: RankingMetrics;
  /** Time to compute every user's list. */
  recommendMs: number;
  /** Users the model returned nothing for (left out of its averages). */
  usersWithoutRecommendations: number;
  /** Listed titles that break the protocol: rated by the user in training, or not in the training catalog. */
  invalidRecommendations: number;
};

export type EvaluationReport = {
  dataset: {
    directory: string;
    layout: MovieLensLayout;
    ratings: number;
    users: number;
    titles: number;
    trainRatings: number;
    testRatings: number;
    trainTitles: number;
    testUsers: number;
  };
  protocol: { k: number; seed: number; ratio: number; split: string; relevance: string };
  models: ModelReport[];
  timingsMs: {
    read: number;
    split: number;
    /** Making the events from MovieLens. */
    events: number;
    /** The recommender folding them in. */
    replay: number;
    replayedEvents: number;
    fit: number;
  };
};

const now = () => performance.now();

export async function evaluate(options: EvaluationOptions): Promise<EvaluationReport> {
  const { k } = options;
  const stage = options.onStage ?? (() => {});

  stage('reading');
  let started = now();
  const dataset = await readMovieLens(options.data);
  const readMs = now() - started;
  const { ratings } = dataset;

  stage('splitting');
  started = now();
  const split = stratifiedSplit(ratings.userId, { ratio: options.ratio, seed: options.seed });
  // Per MovieLens user: their training titles (excluded from their lists) and held-out titles (relevant).
  const seen = new Map<string, Set<string>>();
  const relevant = new Map<string, Set<string>>();
  const add = (map: Map<string, Set<string>>, row: number) => {
    const userId = movieLensUserId(ratings.userId[row]!);
    const titles = map.get(userId) ?? map.set(userId, new Set()).get(userId)!;
    titles.add(movieLensTitleId(ratings.movieId[row]!));
  };
  for (const row of split.train) add(seen, row);
  for (const row of split.test) add(relevant, row);
  const trainTitles = new Set(split.train.map((row) => ratings.movieId[row]!));
  const splitMs = now() - started;

  const report = (name: string, description: string, recommend: (userId: string) => readonly { titleId: string }[]): ModelReport => {
    stage(`recommending: ${name}`);
    const lists = new Map<string, string[]>();
    let invalid = 0;
    let empty = 0;
    const begun = now();
    for (const userId of relevant.keys()) {
      const titleIds = recommend(userId)
        .slice(0, k)
        .map((item) => item.titleId);
      if (titleIds.length === 0) empty++;
      const own = seen.get(userId);
      for (const titleId of titleIds) {
        const movieId = Number(titleId.slice('movie:'.length));
        if (own?.has(titleId) || !trainTitles.has(movieId)) invalid++;
      }
      lists.set(userId, titleIds);
    }
    const recommendMs = now() - begun;
    const metrics = rankingMetrics({ recommendations: lists, relevant, k, catalogSize: trainTitles.size });
    return { name, description, metrics, recommendMs, usersWithoutRecommendations: empty, invalidRecommendations: invalid };
  };

  // Reeltime, fed exactly what its projection would read from the event store.
  stage('replaying');
  const recommender = options.recommender();
  const wanted = new Set(recommender.eventTypes);
  let replayed = 0;
  let replayMs = 0;
  started = now();
  for (const event of replayEvents(dataset, split.train)) {
    if (!wanted.has(event.type)) continue;
    // Only the recommender's share is "replay": making events from MovieLens is this tool's cost.
    const applying = now();
    recommender.apply(event);
    replayMs += now() - applying;
    replayed++;
  }
  const eventsMs = now() - started - replayMs;
  stage('fitting');
  started = now();
  recommender.fit();
  const fitMs = now() - started;

  const models = [
    report('reeltime', 'as shipped (default options, MMR diversity on)', (userId) => recommender.recommend(userId, { limit: k })),
    report('reeltime-no-mmr', 'diversity 0 (no MMR re-ranking)', (userId) => recommender.recommend(userId, { limit: k, diversity: 0 })),
  ];
  const popularity = new PopularityRecommender(
    split.train.map((row) => ({ movieId: ratings.movieId[row]!, titleId: movieLensTitleId(ratings.movieId[row]!) })),
  );
  models.push(
    report('popularity', 'most training ratings, unseen by the user', (userId) => popularity.recommend(seen.get(userId) ?? new Set(), k)),
  );

  return {
    dataset: {
      directory: dataset.directory,
      layout: dataset.layout,
      ratings: ratings.userId.length,
      users: new Set(ratings.userId).size,
      titles: new Set(ratings.movieId).size,
      trainRatings: split.train.length,
      testRatings: split.test.length,
      trainTitles: trainTitles.size,
      testUsers: relevant.size,
    },
    protocol: {
      k,
      seed: options.seed,
      ratio: options.ratio,
      split: 'python_stratified_split (by user)',
      relevance: 'binary: every held-out title',
    },
    models,
    timingsMs: { read: readMs, split: splitMs, events: eventsMs, replay: replayMs, replayedEvents: replayed, fit: fitMs },
  };
}
