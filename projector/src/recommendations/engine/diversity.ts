import { jaccard, type Catalog } from './catalog.ts';
import type { Contributions } from './reasons.ts';

/** Picks re-ranked for diversity: a screenful. */
export const DIVERSIFIED = 20;

/**
 * Maximal marginal relevance (Carbonell & Goldstein 1998): picks `limit` of the candidates
 * (best first) one at a time, each maximising (1 − d)·relevance − d·(its largest genre
 * overlap with what is already picked), so the top is not ten titles of one kind. Relevance
 * is the score rescaled to 0..1 over the candidates. d = 0 keeps the order as it is.
 */
export function diversify(catalog: Catalog, candidates: readonly Contributions[], limit: number, d: number): Contributions[] {
  if (d <= 0 || candidates.length <= 1) return candidates.slice(0, limit);
  if (limit > DIVERSIFIED) {
    // Only the first screenful is re-ranked (the costly part is quadratic); the rest follows by score.
    const head = diversify(catalog, candidates, DIVERSIFIED, d);
    const taken = new Set(head);
    return [...head, ...candidates.filter((c) => !taken.has(c)).slice(0, limit - DIVERSIFIED)];
  }
  const best = candidates[0]!.score;
  const worst = candidates[candidates.length - 1]!.score;
  const span = best - worst || 1;
  const count = candidates.length;
  // Flat arrays for the quadratic loops (every re-score runs them): relevance, masks, overlap.
  const relevance = new Float64Array(count);
  const masks = new Int32Array(count);
  for (let c = 0; c < count; c++) {
    relevance[c] = (1 - d) * ((candidates[c]!.score - worst) / span);
    masks[c] = catalog.at(candidates[c]!.title).genreMask;
  }
  const overlap = new Float64Array(count);
  const taken = new Uint8Array(count);
  const chosen: Contributions[] = [];
  while (chosen.length < Math.min(limit, count)) {
    let pick = -1;
    let pickValue = -Infinity;
    for (let c = 0; c < count; c++) {
      if (taken[c]) continue;
      const value = relevance[c]! - d * overlap[c]!;
      if (value > pickValue) {
        pickValue = value;
        pick = c;
      }
    }
    taken[pick] = 1;
    chosen.push(candidates[pick]!);
    const picked = masks[pick]!;
    for (let c = 0; c < count; c++) {
      if (taken[c] || overlap[c] === 1) continue;
      const o = jaccard(masks[c]!, picked);
      if (o > overlap[c]!) overlap[c] = o;
    }
  }
  return chosen;
}
