import { describe, expect, it } from 'vitest';
import { trustProxySetting } from './proxy.ts';

describe('TRUST_PROXY', () => {
  it('defaults to loopback (the web server beside the APIs), also when empty', () => {
    expect(trustProxySetting({})).toEqual(['loopback']);
    expect(trustProxySetting({ TRUST_PROXY: ' ' })).toEqual(['loopback']);
  });

  it('takes false/none to trust no peer', () => {
    expect(trustProxySetting({ TRUST_PROXY: 'false' })).toBe(false);
    expect(trustProxySetting({ TRUST_PROXY: 'None' })).toBe(false);
  });

  it('takes a comma-separated list of addresses, CIDR ranges and named ranges', () => {
    expect(trustProxySetting({ TRUST_PROXY: 'loopback, 10.0.0.0/8,fd00::/8,192.168.1.5,uniquelocal' })).toEqual([
      'loopback',
      '10.0.0.0/8',
      'fd00::/8',
      '192.168.1.5',
      'uniquelocal',
    ]);
  });

  it('refuses true and anything that is not an address or range, naming it', () => {
    expect(() => trustProxySetting({ TRUST_PROXY: 'true' })).toThrow(/any client/);
    expect(() => trustProxySetting({ TRUST_PROXY: 'loopback,proxy.internal' })).toThrow(/"proxy.internal"/);
    expect(() => trustProxySetting({ TRUST_PROXY: '10.0.0.0/33' })).toThrow(/10.0.0.0\/33/);
    expect(() => trustProxySetting({ TRUST_PROXY: '2' })).toThrow(/"2"/);
    expect(() => trustProxySetting({ TRUST_PROXY: 'loopback,' })).toThrow(/""/);
  });
});
