import { describe, expect, it } from 'vitest';
import { URL_NAMESPACE, uuidV5 } from './uuid-v5.ts';

describe('uuidV5', () => {
  it('matches Python uuid.uuid5', () => {
    // uuid.uuid5(uuid.NAMESPACE_DNS, 'www.example.com')
    expect(uuidV5('www.example.com', '6ba7b810-9dad-11d1-80b4-00c04fd430c8')).toBe('2ed6657d-e927-568b-95e1-2665a8aea6a2');
    // uuid.uuid5(uuid.NAMESPACE_URL, 'https://grouplens.org/datasets/movielens/')
    expect(uuidV5('https://grouplens.org/datasets/movielens/', URL_NAMESPACE)).toBe('649a5746-5cbd-5918-83de-f9583c92c54d');
  });

  it('refuses a namespace that is not a UUID', () => expect(() => uuidV5('x', 'abc')).toThrow(TypeError));
});
