import { describe, expect, it } from 'vitest';
import { Compile } from 'typebox/compile';
import { eventRegistry } from '../registry.ts';
import { TitleRatedData, TitleRatedV1Data } from './ratings.ts';
import { USER_ID } from './samples.fixture.ts';

const v1Validator = Compile(TitleRatedV1Data);
const v2Validator = Compile(TitleRatedData);

describe('TitleRated v1 (half stars) → v2 (score 1..10)', () => {
  it.each([
    [0.5, 1],
    [1, 2],
    [3.5, 7],
    [4, 8],
    [5, 10],
  ])('given a stored v1 payload with %f stars, upcasts to score %i', (stars, score) => {
    const stored = { userId: USER_ID, titleId: 'movie:550', stars };
    expect(v1Validator.Check(stored)).toBe(true);

    const upcast = eventRegistry.upcast('TitleRated', 1, stored);

    expect(upcast).toEqual({ userId: USER_ID, titleId: 'movie:550', score, containsSpoilers: false });
    expect(v2Validator.Check(upcast)).toBe(true);
    expect(eventRegistry.check('TitleRated', upcast)).toEqual([]);
  });

  it('does not modify the stored payload', () => {
    const stored = Object.freeze({ userId: USER_ID, titleId: 'tv:1396', stars: 2.5 });
    eventRegistry.upcast('TitleRated', 1, stored);
    expect(stored).toEqual({ userId: USER_ID, titleId: 'tv:1396', stars: 2.5 });
  });

  it.each([0, 0.25, 5.5, 3.3])('v1 rejected %f stars', (stars) => {
    expect(v1Validator.Check({ userId: USER_ID, titleId: 'movie:550', stars })).toBe(false);
  });
});
