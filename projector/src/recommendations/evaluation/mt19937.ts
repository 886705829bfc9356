/*
 * numpy's legacy random generator (`np.random.RandomState(seed)`), just enough of it to
 * reproduce `RandomState(seed).permutation(n)` bit for bit. Published MovieLens figures
 * (Microsoft Recommenders' `python_stratified_split`) shuffle with pandas'
 * `data.sample(frac=1, random_state=seed)`, which is that permutation: a different shuffle
 * would give a different split, and figures that no longer compare.
 */

const N = 624;
const M = 397;
const MATRIX_A = 0x9908b0df;
const UPPER_MASK = 0x80000000;
const LOWER_MASK = 0x7fffffff;

/** The Mersenne Twister MT19937, seeded like numpy's legacy `RandomState(int)` (init_genrand). */
export class MT19937 {
  private readonly state = new Uint32Array(N);
  private index = N;

  constructor(seed: number) {
    if (!Number.isInteger(seed) || seed < 0 || seed > 0xffffffff) throw new RangeError(`seed must be an integer in 0..2^32-1, got ${seed}`);
    this.state[0] = seed >>> 0;
    for (let i = 1; i < N; i++) {
      const previous = this.state[i - 1]! ^ (this.state[i - 1]! >>> 30);
      // 1812433253 * previous + i, modulo 2^32: Math.imul keeps the low 32 bits exactly.
      this.state[i] = (Math.imul(1812433253, previous) + i) >>> 0;
    }
  }

  /** The next 32-bit output, as an unsigned integer. */
  nextUint32(): number {
    if (this.index >= N) this.twist();
    let y = this.state[this.index++]!;
    y ^= y >>> 11;
    y ^= (y << 7) & 0x9d2c5680;
    y ^= (y << 15) & 0xefc60000;
    y ^= y >>> 18;
    return y >>> 0;
  }

  private twist(): void {
    const mt = this.state;
    for (let i = 0; i < N; i++) {
      const y = (mt[i]! & UPPER_MASK) | (mt[(i + 1) % N]! & LOWER_MASK);
      mt[i] = mt[(i + M) % N]! ^ (y >>> 1) ^ (y & 1 ? MATRIX_A : 0);
    }
    this.index = 0;
  }
}

/**
 * A uniform integer in 0..max, numpy's `random_interval`: draws masked to the smallest
 * all-ones mask covering `max`, rejecting values above it. Only the 32-bit branch is needed
 * (numpy switches to 64-bit draws for max > 2^32-1, far beyond any rating file).
 */
export function randomInterval(rng: MT19937, max: number): number {
  if (max === 0) return 0;
  if (max > 0xffffffff) throw new RangeError('randomInterval: max above 2^32-1 needs 64-bit draws');
  let mask = max;
  mask |= mask >>> 1;
  mask |= mask >>> 2;
  mask |= mask >>> 4;
  mask |= mask >>> 8;
  mask |= mask >>> 16;
  mask >>>= 0;
  let value: number;
  do value = (rng.nextUint32() & mask) >>> 0;
  while (value > max);
  return value;
}

/** numpy's legacy `RandomState.shuffle` of a 1-d array: Fisher–Yates from the end. */
export function shuffleInPlace<T extends { [index: number]: number; length: number }>(rng: MT19937, values: T): T {
  for (let i = values.length - 1; i >= 1; i--) {
    const j = randomInterval(rng, i);
    const swap = values[i]!;
    values[i] = values[j]!;
    values[j] = swap;
  }
  return values;
}

/** `np.random.RandomState(seed).permutation(n)`: 0..n-1 shuffled. */
export function permutation(n: number, seed: number): Uint32Array {
  const values = new Uint32Array(n);
  for (let i = 0; i < n; i++) values[i] = i;
  return shuffleInPlace(new MT19937(seed), values);
}
