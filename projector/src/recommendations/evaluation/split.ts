import { permutation } from './mt19937.ts';

/*
 * Microsoft Recommenders' `python_stratified_split(data, ratio, filter_by="user", seed)`,
 * reproduced step for step so that figures compare with the ones published with it:
 * 1. shuffle every row: `data.sample(frac=1, random_state=seed)` = numpy's legacy
 *    `RandomState(seed).permutation(n)`;
 * 2. group by user, users ascending (pandas groupby sorts keys), each group keeping the
 *    shuffled order;
 * 3. per user, the first `round(ratio * n_u)` rows train and the rest test, Python's `round`
 *    (half to even) deciding ties, as `np.split(group, [round(ratio * len(group))])` does.
 */

/** Python 3's `round(x)` for a double: nearest integer, exact halves to the even neighbour. */
export function roundHalfEven(x: number): number {
  const floor = Math.floor(x);
  const fraction = x - floor; // exact for |x| < 2^52
  if (fraction > 0.5) return floor + 1;
  if (fraction < 0.5) return floor;
  return floor % 2 === 0 ? floor : floor + 1;
}

export type Split = {
  /** Row indices (into the rating file) of the training ratings, grouped by user ascending, shuffled within a user. */
  train: number[];
  /** Row indices of the held-out ratings, in the same order. */
  test: number[];
};

export function stratifiedSplit(userIds: readonly number[], options: { ratio: number; seed: number }): Split {
  if (!(options.ratio > 0 && options.ratio < 1)) throw new RangeError(`ratio must be between 0 and 1, got ${options.ratio}`);
  const order = permutation(userIds.length, options.seed);
  const byUser = new Map<number, number[]>();
  for (const row of order) {
    const rowsOfUser = byUser.get(userIds[row]!);
    if (rowsOfUser) rowsOfUser.push(row);
    else byUser.set(userIds[row]!, [row]);
  }
  const train: number[] = [];
  const test: number[] = [];
  for (const user of [...byUser.keys()].sort((a, b) => a - b)) {
    const rowsOfUser = byUser.get(user)!;
    // Recommenders computes the cut as `round(x * len)` where x is the cumulative ratio
    // (0.75 for the default [0.75, 0.25]): the same double product, hence the same halves.
    const cut = roundHalfEven(options.ratio * rowsOfUser.length);
    for (let i = 0; i < rowsOfUser.length; i++) (i < cut ? train : test).push(rowsOfUser[i]!);
  }
  return { train, test };
}
