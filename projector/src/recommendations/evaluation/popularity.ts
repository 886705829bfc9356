/*
 * The popularity baseline: every user gets the titles with the most training ratings that they
 * have not rated themselves. Ties (equal counts) go to the lower MovieLens movie id, i.e. a
 * stable sort of the titles in id order: numpy's `argsort(-counts, kind="stable")` over the
 * sorted ids gives the same order. (numpy's default `argsort` is unstable, so a reference
 * computed with it breaks ties in an order only that numpy build knows.)
 */
export class PopularityRecommender {
  private readonly ranked: { titleId: string; count: number }[];

  constructor(trainingRatings: Iterable<{ movieId: number; titleId: string }>) {
    const counts = new Map<number, { titleId: string; count: number }>();
    for (const { movieId, titleId } of trainingRatings) {
      const entry = counts.get(movieId);
      if (entry) entry.count++;
      else counts.set(movieId, { titleId, count: 1 });
    }
    this.ranked = [...counts.entries()].sort(([a, x], [b, y]) => y.count - x.count || a - b).map(([, entry]) => entry);
  }

  /** The top `limit` titles the user has not rated, most rated first. */
  recommend(seen: ReadonlySet<string>, limit: number): { titleId: string; score: number }[] {
    const out: { titleId: string; score: number }[] = [];
    for (const { titleId, count } of this.ranked) {
      if (out.length >= limit) break;
      if (!seen.has(titleId)) out.push({ titleId, score: count });
    }
    return out;
  }
}
