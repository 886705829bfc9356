import { describe, expect, it } from 'vitest';
import { backoffDelay, parseRetryAfter } from './backoff.ts';

describe('backoffDelay', () => {
  const options = { baseMs: 100, maxMs: 1000 };

  it('doubles each retry, jittered within the upper half of the step', () => {
    expect(backoffDelay(0, options, () => 0)).toBe(50);
    expect(backoffDelay(0, options, () => 1)).toBe(100);
    expect(backoffDelay(2, options, () => 0)).toBe(200);
    expect(backoffDelay(2, options, () => 1)).toBe(400);
  });

  it('never waits longer than the cap', () => {
    expect(backoffDelay(20, options, () => 1)).toBe(1000);
  });
});

describe('parseRetryAfter', () => {
  it('reads delta-seconds', () => expect(parseRetryAfter('2')).toBe(2000));
  it('reads an HTTP date', () => {
    const now = Date.parse('2025-01-01T00:00:00Z');
    expect(parseRetryAfter('Wed, 01 Jan 2025 00:00:03 GMT', now)).toBe(3000);
  });
  it('treats a date in the past as no wait', () => expect(parseRetryAfter('Wed, 01 Jan 2020 00:00:00 GMT')).toBe(0));
  it.each([null, '', 'soon'])('ignores %j', (header) => expect(parseRetryAfter(header)).toBeUndefined());
});
