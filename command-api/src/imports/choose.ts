// Picking a catalog title for a row named only by title and year: pure, so the thresholds are
// tested on their own. Ambiguous rows are reported, never guessed.

export type Candidate = { titleId: string; title: string; year: number | null; score: number };
export type Choice = { titleId: string } | { reason: string };

/** Trigram similarity below this is a different title ("Alien" vs "Aliens" is 0.78). */
export const MIN_SIMILARITY = 0.5;
/** A runner-up this close to the best is as likely: the row is ambiguous. */
export const MIN_LEAD = 0.1;
/** Same year counts this much (release years differ by one between sources around New Year). */
const SAME_YEAR_BONUS = 0.05;

const label = (candidate: Candidate) => (candidate.year === null ? candidate.title : `${candidate.title} (${candidate.year})`);

/** Exact name matches: one is the title, several are ambiguous (remakes, a film and a series). */
export function chooseExact(candidates: Candidate[], year: number | undefined): Choice | undefined {
  const sameYear = year === undefined ? candidates : candidates.filter((c) => c.year === year);
  if (sameYear.length === 1) return { titleId: sameYear[0]!.titleId };
  if (sameYear.length > 1) return { reason: `ambiguous: ${sameYear.slice(0, 3).map(label).join(', ')} all match` };
  return undefined;
}

/** Near matches (typos, punctuation, a year off by one): the clear best above the threshold. */
export function chooseFuzzy(candidates: Candidate[], year: number | undefined): Choice {
  const ranked = candidates
    .map((c) => ({ ...c, rank: c.score + (year !== undefined && c.year === year ? SAME_YEAR_BONUS : 0) }))
    .sort((a, b) => b.rank - a.rank);
  const [best, second] = ranked;
  if (best === undefined || best.score < MIN_SIMILARITY) return { reason: 'no title with this name and year in the catalog' };
  if (second !== undefined && second.score >= MIN_SIMILARITY && best.rank - second.rank < MIN_LEAD) {
    return { reason: `ambiguous: could be ${label(best)} or ${label(second)}` };
  }
  return { titleId: best.titleId };
}
