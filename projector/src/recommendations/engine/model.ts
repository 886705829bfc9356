import { invertSpdInPlace } from './linear.ts';

/**
 * What a fit learns from: every user's interacted titles in the order they happened, as
 * indices into the model's vocabulary (the titles it covers), with their times. Flat typed
 * arrays, so a snapshot moves to a worker thread without copying object graphs.
 */
export type FitInput = {
  /** Titles in the vocabulary. */
  size: number;
  /** User u's interactions are `titles[offsets[u]]` up to `titles[offsets[u + 1]]`. */
  offsets: Int32Array;
  titles: Int32Array;
  /** Milliseconds since the epoch, same layout as `titles`. */
  times: Float64Array;
};

export type FitOptions = {
  /** Ridge on the Gram matrix's diagonal: larger keeps the model closer to popularity. */
  lambda: number;
  /**
   * Weight of co-occurrence in time on top of co-occurrence in a whole history: a pair of one
   * person's interactions Δt apart adds sessionWeight · exp(−Δt / sessionDecayMs). Titles
   * logged in one sitting tell more about each other than titles years apart in one life.
   */
  sessionWeight: number;
  sessionDecayMs: number;
};

/**
 * EASE (Steck 2019): the item-item weights B minimising ‖X − XB‖² + λ‖B‖² with a zero
 * diagonal, in closed form: P = (G + λI)⁻¹, B_ij = −P_ij / P_jj. Row i of B says how much an
 * interaction with title i predicts each other title. Returned as float32 (half the memory;
 * scores need no more precision).
 */
export function fitItemModel(input: FitInput, options: FitOptions): Float32Array {
  const n = input.size;
  const gram = new Float64Array(n * n);
  const users = input.offsets.length - 1;
  for (let u = 0; u < users; u++) {
    const start = input.offsets[u]!;
    const end = input.offsets[u + 1]!;
    addPairs(gram, n, input.titles, start, end, 1);
    if (options.sessionWeight > 0) addPairsInTime(gram, n, input, start, end, options);
  }
  // addPairs fills the upper triangle only: mirror it.
  for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) gram[j * n + i] = gram[i * n + j]!;
  for (let i = 0; i < n; i++) gram[i * n + i]! += options.lambda;
  invertSpdInPlace(gram, n);
  const weights = new Float32Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) weights[i * n + j] = i === j ? 0 : -gram[i * n + j]! / gram[j * n + j]!;
  }
  return weights;
}

/** Past this many decay constants a pair's weight is below 5e-5: the window stops there. */
const DECAY_HORIZON = 10;

/** Pairs of one user's interactions (in time order), weighted by how close in time they were. */
function addPairsInTime(gram: Float64Array, n: number, input: FitInput, start: number, end: number, options: FitOptions): void {
  const horizon = DECAY_HORIZON * options.sessionDecayMs;
  for (let p = start; p < end; p++) {
    const a = input.titles[p]!;
    gram[a * n + a]! += options.sessionWeight;
    for (let q = p + 1; q < end; q++) {
      const gap = input.times[q]! - input.times[p]!;
      if (gap > horizon) break;
      const b = input.titles[q]!;
      const weight = options.sessionWeight * Math.exp(-gap / options.sessionDecayMs);
      if (a <= b) gram[a * n + b]! += weight;
      else gram[b * n + a]! += weight;
    }
  }
}

function addPairs(gram: Float64Array, n: number, titles: Int32Array, start: number, end: number, weight: number): void {
  for (let p = start; p < end; p++) {
    const a = titles[p]!;
    for (let q = p; q < end; q++) {
      const b = titles[q]!;
      if (a <= b) gram[a * n + b]! += weight;
      else gram[b * n + a]! += weight;
    }
  }
}
