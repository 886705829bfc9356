import { describe, expect, it } from 'vitest';
import { hashPassword, UNUSABLE_PASSWORD_HASH, verifyPassword } from './passwords.ts';

describe('password hashing', () => {
  it('verifies the password it hashed and nothing else', async () => {
    const stored = await hashPassword('correct horse battery', 12);
    expect(stored).toMatch(/^scrypt\$12\$/);
    expect(await verifyPassword('correct horse battery', stored)).toBe(true);
    expect(await verifyPassword('correct horse batterY', stored)).toBe(false);
  });

  it('salts every hash', async () => {
    expect(await hashPassword('same password', 12)).not.toBe(await hashPassword('same password', 12));
  });

  it('uses 32 MiB of memory by default', async () => {
    const started = performance.now();
    const stored = await hashPassword('a reasonably long password');
    expect(stored).toMatch(/^scrypt\$15\$/);
    expect(performance.now() - started).toBeGreaterThan(5);
  });

  it('treats a malformed stored hash as a mismatch', async () => {
    expect(await verifyPassword('anything', 'bcrypt$whatever')).toBe(false);
  });

  it('never matches the unusable hash, whatever the password', async () => {
    for (const password of ['', 'unusable', '!unusable', 'reeltime-demo'])
      expect(await verifyPassword(password, UNUSABLE_PASSWORD_HASH)).toBe(false);
  });
});
