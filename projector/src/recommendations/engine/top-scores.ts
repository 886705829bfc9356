/**
 * The best `capacity` scores seen: a binary min-heap, so a scan of the whole catalog costs
 * O(n log k) however the scores arrive. Ties rank by catalog order (earlier first).
 */
export class TopScores<P> {
  readonly #heap: { title: number; score: number; parts: P }[] = [];
  constructor(readonly capacity: number) {}

  admits(score: number): boolean {
    return this.#heap.length < this.capacity || score > this.#heap[0]!.score;
  }

  add(title: number, score: number, parts: P): void {
    const heap = this.#heap;
    const entry = { title, score, parts };
    if (heap.length < this.capacity) {
      heap.push(entry);
      this.#up(heap.length - 1);
    } else {
      heap[0] = entry;
      this.#down(0);
    }
  }

  /** Best first. */
  sorted(): { title: number; score: number; parts: P }[] {
    return [...this.#heap].sort((a, b) => b.score - a.score || a.title - b.title);
  }

  // "Lower" = worse: a smaller score, or the same score and a later title.
  #lower(a: number, b: number): boolean {
    const x = this.#heap[a]!;
    const y = this.#heap[b]!;
    return x.score < y.score || (x.score === y.score && x.title > y.title);
  }

  #swap(a: number, b: number): void {
    const heap = this.#heap;
    [heap[a], heap[b]] = [heap[b]!, heap[a]!];
  }

  #up(at: number): void {
    while (at > 0) {
      const parent = (at - 1) >> 1;
      if (!this.#lower(at, parent)) return;
      this.#swap(at, parent);
      at = parent;
    }
  }

  #down(at: number): void {
    const n = this.#heap.length;
    for (;;) {
      const left = 2 * at + 1;
      const right = left + 1;
      let lowest = at;
      if (left < n && this.#lower(left, lowest)) lowest = left;
      if (right < n && this.#lower(right, lowest)) lowest = right;
      if (lowest === at) return;
      this.#swap(at, lowest);
      at = lowest;
    }
  }
}
