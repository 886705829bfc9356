import { describe, expect, it } from 'vitest';
import { roundHalfEven, stratifiedSplit } from './split.ts';

describe("roundHalfEven = Python 3's round()", () => {
  // Python: [round(x) for x in [...]]
  it.each([
    [0.5, 0],
    [1.5, 2],
    [2.5, 2],
    [3.5, 4],
    [4.5, 4],
    [7.5, 8],
    [0.75 * 2, 2],
    [0.75 * 3, 2],
    [0.75 * 6, 4],
    [0.75 * 10, 8],
    [0.7 * 5, 4],
    [2.4999999999999996, 2],
    [2.6, 3],
    [0, 0],
    [7, 7],
  ])('round(%s) = %i', (x, expected) => expect(roundHalfEven(x)).toBe(expected));
});

describe('stratifiedSplit = Recommenders python_stratified_split(ratio=0.75, seed=42)', () => {
  // Rows' users; expected indices from numpy: permutation(19) with seed 42 is
  // [0, 5, 11, 1, 8, 16, 3, 13, 15, 17, 2, 9, 18, 4, 12, 7, 10, 14, 6], then per user ascending
  // the first round(0.75 * n) rows: user 1 (6 rows → 4), 2 (4 → 3), 3 (6 → 4), 4 (1 → 1), 5 (2 → 2).
  const users = [3, 1, 2, 1, 3, 3, 1, 2, 2, 1, 3, 1, 2, 3, 3, 1, 4, 5, 5];

  it('gives the train and test rows numpy gives, grouped by user, in shuffled order', () => {
    expect(stratifiedSplit(users, { ratio: 0.75, seed: 42 })).toEqual({
      train: [11, 1, 3, 15, 8, 2, 12, 0, 5, 13, 4, 16, 17, 18],
      test: [9, 6, 7, 10, 14],
    });
  });

  it('sorts users numerically, not as strings', () => {
    const split = stratifiedSplit([10, 9, 10, 9], { ratio: 0.5, seed: 42 });
    expect(split.train.map((row) => [10, 9, 10, 9][row])).toEqual([9, 10]);
  });

  it('rejects a ratio outside (0, 1)', () => {
    expect(() => stratifiedSplit(users, { ratio: 1, seed: 42 })).toThrow(RangeError);
    expect(() => stratifiedSplit(users, { ratio: 0, seed: 42 })).toThrow(RangeError);
  });
});
