import { describe, expect, it } from 'vitest';
import { rankingMetrics, scoreUser } from './metrics.ts';

const log2 = Math.log2;

describe('scoreUser (binary relevance)', () => {
  it('scores hits at ranks 2 and 3 of a top 3 against 4 relevant titles', () => {
    const scores = scoreUser(['a', 'b', 'c'], new Set(['b', 'c', 'y', 'z']), 3);
    // dcg = 1/log2(3) + 1/log2(4); idcg over min(4, 3) = 3 ranks.
    expect(scores.ndcg).toBeCloseTo((1 / log2(3) + 1 / 2) / (1 + 1 / log2(3) + 1 / 2), 12);
    expect(scores.precision).toBeCloseTo(2 / 3, 12);
    expect(scores.recall).toBeCloseTo(2 / 4, 12);
    // precision at each hit: 1/2 at rank 2, 2/3 at rank 3; over min(4, 3).
    expect(scores.averagePrecision).toBeCloseTo((1 / 2 + 2 / 3) / 3, 12);
    expect(scores.hit).toBe(true);
  });

  it('gives 1 everywhere for a perfect list, and divides precision by k even when the list is short', () => {
    expect(scoreUser(['a', 'b'], new Set(['a', 'b']), 2)).toEqual({ ndcg: 1, precision: 1, recall: 1, averagePrecision: 1, hit: true });
    const short = scoreUser(['a'], new Set(['a']), 10);
    expect(short.precision).toBe(0.1);
    expect(short.ndcg).toBe(1);
    expect(short.averagePrecision).toBe(1);
  });

  it('looks only at the top k', () => {
    expect(scoreUser(['x', 'y', 'a'], new Set(['a']), 2)).toEqual({ ndcg: 0, precision: 0, recall: 0, averagePrecision: 0, hit: false });
  });
});

describe('rankingMetrics', () => {
  it('averages over users with held-out titles and a non-empty list; coverage over the training catalog', () => {
    const metrics = rankingMetrics({
      recommendations: new Map([
        ['u1', ['a', 'b']],
        ['u2', ['c', 'd']],
        ['u3', []],
        ['u4', ['e']],
      ]),
      relevant: new Map([
        ['u1', new Set(['a'])],
        ['u2', new Set(['a', 'x'])],
        ['u3', new Set(['a'])],
        ['u5', new Set(['a'])],
      ]),
      k: 2,
      catalogSize: 8,
    });
    // u1: perfect hit at rank 1 of 1 relevant; u2: no hit. u3 (empty list), u4 (no held-out titles), u5 (no list) left out.
    expect(metrics).toEqual({
      users: 2,
      ndcg: 0.5,
      precision: 0.25,
      recall: 0.5,
      map: 0.5,
      hitRate: 0.5,
      coverage: 4 / 8,
      recommendedTitles: 4,
    });
  });

  it('answers zeros rather than NaN when nobody can be evaluated', () => {
    expect(rankingMetrics({ recommendations: new Map(), relevant: new Map(), k: 10, catalogSize: 0 })).toMatchObject({
      users: 0,
      ndcg: 0,
      coverage: 0,
    });
  });
});
