import { describe, expect, it } from 'vitest';
import { activeAccounts } from './active-accounts.ts';

function fakeAccounts(existing: Set<string>) {
  const calls: string[] = [];
  return { calls, exists: async (userId: string) => (calls.push(userId), existing.has(userId)) };
}

describe('activeAccounts', () => {
  it('asks once within the time to live, and again after forget', async () => {
    const accounts = fakeAccounts(new Set(['a']));
    const active = activeAccounts(accounts, 60_000);
    expect(await active.isActive('a')).toBe(true);
    expect(await active.isActive('a')).toBe(true);
    expect(accounts.calls).toEqual(['a']);
    active.forget('a');
    expect(await active.isActive('a')).toBe(true);
    expect(accounts.calls).toEqual(['a', 'a']);
  });

  it('never remembers an account that does not exist', async () => {
    const existing = new Set<string>();
    const accounts = fakeAccounts(existing);
    const active = activeAccounts(accounts, 60_000);
    expect(await active.isActive('b')).toBe(false);
    existing.add('b');
    expect(await active.isActive('b')).toBe(true);
  });

  it('asks again once the time to live has passed', async () => {
    const accounts = fakeAccounts(new Set(['c']));
    const active = activeAccounts(accounts, 0);
    await active.isActive('c');
    await new Promise((resolve) => setTimeout(resolve, 2));
    await active.isActive('c');
    expect(accounts.calls).toEqual(['c', 'c']);
  });
});
