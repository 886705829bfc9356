import { describe, expect, it } from 'vitest';
import { eventRegistry } from './registry.ts';
import { LiveClientMessage } from './http/live.ts';
import { CreateListBody, RateTitleBody } from './http/commands.ts';
import { TEXT_FORMAT_MESSAGE, clipText, isStorableText } from './text.ts';
import { compileValidator } from './validator.ts';

describe('free text PostgreSQL can store', () => {
  it.each([
    ['plain text', 'A fine film', true],
    ['accents and emoji (a surrogate pair)', 'Amélie 😀 ✓', true],
    ['the empty string', '', true],
    ['a NUL character', 'nul\u0000here', false],
    ['a lone high surrogate', 'half \uD83D', false],
    ['a lone low surrogate', '\uDE00 half', false],
    ['a pair in the wrong order', '\uDE00\uD83D', false],
  ])('%s: storable = %s', (_name, value, storable) => {
    expect(isStorableText(value)).toBe(storable);
  });

  it('is what clipText leaves of a longer text: it counts code points, so it never splits an emoji', () => {
    expect(clipText('ab😀c', 3)).toBe('ab😀');
    expect('ab😀c'.slice(0, 3)).not.toSatisfy(isStorableText);
    expect(clipText('short', 10)).toBe('short');
    expect(clipText('😀😀😀', 2)).toBe('😀😀');
  });

  it('is refused by the command bodies with the field named and the real reason', () => {
    const rate = compileValidator(RateTitleBody);
    expect(rate.Issues({ score: 8, review: 'good\u0000' })).toEqual([{ path: '/review', message: TEXT_FORMAT_MESSAGE }]);
    const create = compileValidator(CreateListBody);
    expect(create.Issues({ name: 'Later', description: 'x\uD800' })).toEqual([{ path: '/description', message: TEXT_FORMAT_MESSAGE }]);
    expect(create.Check({ name: 'Later 😀', description: 'fine' })).toBe(true);
  });

  it('is refused by the event schemas too, so no event can carry it', () => {
    const issues = eventRegistry.check('UserRegistered', { userId: '0b7e0d3c-8c8f-4f5b-9a51-3f6f2d1c9e11', displayName: 'A\u0000' });
    expect(issues).toEqual([{ path: '/displayName', message: TEXT_FORMAT_MESSAGE }]);
  });
});

describe('a union of tagged messages reports the branch the message meant', () => {
  const live = compileValidator(LiveClientMessage);

  it('a subscribe with too many channels: the list is too long (not "token is required")', () => {
    const channels = Array.from({ length: 1500 }, (_, i) => `title:movie:${i + 1}`);
    expect(live.Issues({ type: 'subscribe', channels })).toEqual([{ path: '/channels', message: 'must not have more than 100 items' }]);
  });

  it('an auth without its token: the token is required', () => {
    expect(live.Issues({ type: 'auth' })).toEqual([{ path: '/token', message: 'is required' }]);
  });

  it('an unknown or missing type: the type, with the accepted ones', () => {
    expect(live.Issues({ type: 'shout' })).toEqual([{ path: '/type', message: 'must be one of "auth", "subscribe", "unsubscribe"' }]);
    expect(live.Issues({ channels: ['feed'] })).toEqual([{ path: '/type', message: 'must be one of "auth", "subscribe", "unsubscribe"' }]);
    expect(live.Issues([1])).toEqual([{ path: '', message: 'must be an object with "type": one of "auth", "subscribe", "unsubscribe"' }]);
  });

  it('a valid message has no issues', () => {
    expect(live.Issues({ type: 'subscribe', channels: ['feed'] })).toEqual([]);
    expect(live.Check({ type: 'unsubscribe', channels: ['feed'] })).toBe(true);
  });
});
