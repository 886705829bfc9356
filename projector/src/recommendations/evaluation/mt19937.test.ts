import { describe, expect, it } from 'vitest';
import { MT19937, permutation, randomInterval } from './mt19937.ts';

// Expected values come from numpy 2.4 (legacy RandomState), e.g.
// `np.random.RandomState(42).permutation(10)` and the raw draws of `RandomState(42)`'s MT19937.

describe('MT19937 seeded like np.random.RandomState(seed)', () => {
  it('draws the same first 32-bit outputs as numpy for seed 42 and seed 0', () => {
    const rng = new MT19937(42);
    const draws = Array.from({ length: 10 }, () => rng.nextUint32());
    expect(draws).toEqual([
      1608637542, 3421126067, 4083286876, 787846414, 3143890026, 3348747335, 2571218620, 2563451924, 670094950, 1914837113,
    ]);
    const zero = new MT19937(0);
    expect([zero.nextUint32(), zero.nextUint32(), zero.nextUint32()]).toEqual([2357136044, 2546248239, 3071714933]);
  });

  it('stays in step after the state is regenerated (draws 625.. and 1300)', () => {
    const rng = new MT19937(42);
    const draws = Array.from({ length: 1300 }, () => rng.nextUint32());
    expect(draws.slice(624, 627)).toEqual([108880612, 791707097, 4134543476]);
    expect(draws[1299]).toBe(2059789457);
  });

  it('refuses a seed numpy would refuse', () => {
    expect(() => new MT19937(-1)).toThrow(RangeError);
    expect(() => new MT19937(2 ** 32)).toThrow(RangeError);
    expect(() => new MT19937(1.5)).toThrow(RangeError);
  });
});

describe('randomInterval', () => {
  it('returns 0 for max 0 without drawing', () => {
    const rng = new MT19937(42);
    expect(randomInterval(rng, 0)).toBe(0);
    expect(rng.nextUint32()).toBe(1608637542);
  });

  it('masks and rejects: every value stays within 0..max', () => {
    const rng = new MT19937(7);
    for (const max of [1, 2, 5, 6, 7, 8, 1000, 2 ** 31, 2 ** 32 - 1]) {
      for (let i = 0; i < 50; i++) {
        const value = randomInterval(rng, max);
        expect(value).toBeGreaterThanOrEqual(0);
        expect(value).toBeLessThanOrEqual(max);
      }
    }
  });
});

describe('permutation = np.random.RandomState(seed).permutation(n)', () => {
  it.each([
    [10, 42, [8, 1, 5, 0, 7, 2, 9, 4, 3, 6]],
    [10, 7, [8, 5, 0, 2, 1, 9, 7, 3, 6, 4]],
    [7, 123, [1, 3, 4, 0, 2, 5, 6]],
    [2, 42, [1, 0]],
    [1, 42, [0]],
    [0, 42, []],
  ])('permutation(%i) with seed %i', (n, seed, expected) => {
    expect([...permutation(n, seed)]).toEqual(expected);
  });

  it('permutation(1000) with seed 42: first 20 and last 5', () => {
    const p = [...permutation(1000, 42)];
    expect(p.slice(0, 20)).toEqual([521, 737, 740, 660, 411, 678, 626, 513, 859, 136, 811, 76, 636, 973, 938, 899, 280, 883, 761, 319]);
    expect(p.slice(-5)).toEqual([106, 270, 860, 435, 102]);
  });

  it('permutation(100836) with seed 42 (the size of ml-latest-small): ends and a checksum of the whole', () => {
    const p = permutation(100_836, 42);
    expect([...p.slice(0, 5)]).toEqual([67037, 42175, 93850, 6187, 12229]);
    expect([...p.slice(-5)]).toEqual([6265, 54886, 76820, 860, 15795]);
    // numpy: int(((p * np.arange(n)) % 1000003).sum())
    let checksum = 0;
    for (let i = 0; i < p.length; i++) checksum += (p[i]! * i) % 1_000_003;
    expect(checksum).toBe(50_599_184_907);
  });
});
