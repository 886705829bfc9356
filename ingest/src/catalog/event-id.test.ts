import { describe, expect, it } from 'vitest';
import { uuidNamespace, uuidV5 } from './event-id.ts';

describe('uuidV5', () => {
  it('matches the RFC 4122 name-based UUID (python: uuid5(NAMESPACE_DNS, "python.org"))', () => {
    expect(uuidV5('python.org', uuidNamespace('6ba7b810-9dad-11d1-80b4-00c04fd430c8'))).toBe('886313e1-3b8a-5372-9b90-0c9aee199e5d');
  });

  it('refuses a namespace that is not a UUID', () => {
    expect(() => uuidNamespace('not-a-uuid')).toThrow(/not a UUID/);
  });
});
