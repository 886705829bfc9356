/*
 * Ranking metrics at k as Microsoft Recommenders computes them (`ndcg_at_k`, `precision_at_k`,
 * `recall_at_k`, `map_at_k` with relevancy_method "top_k"), binary relevance: every held-out
 * title of a user is relevant whatever its rating. Averages run over the users who have both
 * held-out titles and at least one recommendation (Recommenders' merge of truth and
 * predictions keeps only users present in both).
 */

export type RankingMetrics = {
  /** Users averaged over. */
  users: number;
  ndcg: number;
  precision: number;
  recall: number;
  map: number;
  /** Share of users with at least one relevant title in their top k. */
  hitRate: number;
  /** Distinct titles recommended to those users / titles in the training catalog. */
  coverage: number;
  recommendedTitles: number;
};

export type UserScores = { ndcg: number; precision: number; recall: number; averagePrecision: number; hit: boolean };

/** The metrics of one user's top-k list against their relevant titles (non-empty). */
export function scoreUser(recommended: readonly string[], relevant: ReadonlySet<string>, k: number): UserScores {
  const top = recommended.slice(0, k);
  let hits = 0;
  let dcg = 0;
  let precisionSum = 0;
  top.forEach((titleId, index) => {
    if (!relevant.has(titleId)) return;
    hits++;
    // Rank r (1-based) discounts by log2(r + 1); index = r - 1.
    dcg += 1 / Math.log2(index + 2);
    precisionSum += hits / (index + 1);
  });
  const ideal = Math.min(relevant.size, k);
  let idcg = 0;
  for (let index = 0; index < ideal; index++) idcg += 1 / Math.log2(index + 2);
  return {
    ndcg: dcg / idcg,
    // Over k, not over the list's length: a short list is not rewarded for being short.
    precision: hits / k,
    recall: hits / relevant.size,
    averagePrecision: precisionSum / ideal,
    hit: hits > 0,
  };
}

export function rankingMetrics(input: {
  recommendations: ReadonlyMap<string, readonly string[]>;
  relevant: ReadonlyMap<string, ReadonlySet<string>>;
  k: number;
  catalogSize: number;
}): RankingMetrics {
  const totals = { users: 0, ndcg: 0, precision: 0, recall: 0, map: 0, hits: 0 };
  const recommendedTitles = new Set<string>();
  for (const [userId, relevant] of input.relevant) {
    const recommended = input.recommendations.get(userId);
    if (relevant.size === 0 || recommended === undefined || recommended.length === 0) continue;
    const scores = scoreUser(recommended, relevant, input.k);
    totals.users++;
    totals.ndcg += scores.ndcg;
    totals.precision += scores.precision;
    totals.recall += scores.recall;
    totals.map += scores.averagePrecision;
    if (scores.hit) totals.hits++;
    for (const titleId of recommended.slice(0, input.k)) recommendedTitles.add(titleId);
  }
  const mean = (sum: number) => (totals.users === 0 ? 0 : sum / totals.users);
  return {
    users: totals.users,
    ndcg: mean(totals.ndcg),
    precision: mean(totals.precision),
    recall: mean(totals.recall),
    map: mean(totals.map),
    hitRate: mean(totals.hits),
    coverage: input.catalogSize === 0 ? 0 : recommendedTitles.size / input.catalogSize,
    recommendedTitles: recommendedTitles.size,
  };
}
