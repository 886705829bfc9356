import { describe, expect, it } from 'vitest';
import { parseTrustProxy } from './proxy.ts';

describe('TRUST_PROXY', () => {
  it('defaults to loopback (the web server beside the APIs), also when empty', () => {
    expect(parseTrustProxy(undefined)).toEqual(['loopback']);
    expect(parseTrustProxy(' ')).toEqual(['loopback']);
  });

  it('takes false/none to trust no peer', () => {
    expect(parseTrustProxy('false')).toBe(false);
    expect(parseTrustProxy('None')).toBe(false);
  });

  it('takes a comma-separated list of addresses, CIDR ranges and named ranges', () => {
    expect(parseTrustProxy('loopback, 10.0.0.0/8,fd00::/8,192.168.1.5,uniquelocal')).toEqual([
      'loopback',
      '10.0.0.0/8',
      'fd00::/8',
      '192.168.1.5',
      'uniquelocal',
    ]);
  });

  it('refuses true and anything that is not an address or range, naming it', () => {
    expect(() => parseTrustProxy('true')).toThrow(/any client/);
    expect(() => parseTrustProxy('loopback,proxy.internal')).toThrow(/"proxy.internal"/);
    expect(() => parseTrustProxy('10.0.0.0/33')).toThrow(/10.0.0.0\/33/);
    expect(() => parseTrustProxy('2')).toThrow(/"2"/);
    expect(() => parseTrustProxy('loopback,')).toThrow(/""/);
  });
});
