import { RecommendationEngine } from '../engine/engine.ts';
import { recommendationsProjection } from '../projection.ts';
import type { Recommender } from './run.ts';

/**
 * Reeltime's recommender as the evaluation drives it: the engine the projection folds events
 * through, fed only the event types the projection subscribes to, with default options, so
 * the figures are those of the shipped code and not of a copy of it.
 */
export function reeltimeRecommender(): Recommender {
  const engine = new RecommendationEngine();
  return {
    eventTypes: recommendationsProjection.eventTypes,
    apply: (event) => {
      engine.apply(event);
    },
    fit: () => engine.fit(),
    recommend: (userId, options) => engine.recommend(userId, options),
  };
}
