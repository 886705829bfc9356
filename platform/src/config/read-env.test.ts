import { Type } from 'typebox';
import { describe, expect, it } from 'vitest';
import { AuthEnv } from '../auth.ts';
import { TrustProxyEnv } from '../proxy.ts';
import { ConfigError, defineEnv, envFlag, isOn, mergeEnv, readEnv, showValue } from './read-env.ts';
import { eventStoreEnv, httpEnv, logEnv } from './variables.ts';

const Spec = mergeEnv(
  eventStoreEnv(),
  AuthEnv,
  TrustProxyEnv,
  logEnv(),
  httpEnv('TEST_PORT', 4100, 'the port'),
  defineEnv({
    WORKERS: Type.Integer({ description: 'workers', minimum: 1, default: 4 }),
    RATE: Type.Number({ description: 'per second', minimum: 0, default: 1.5 }),
    FAST: envFlag('go fast', false),
  }),
);
const SECRET = 'a-very-long-secret-that-is-at-least-32-chars';

function problems(env: NodeJS.ProcessEnv): ConfigError {
  try {
    readEnv('test', Spec, env);
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error('expected a ConfigError');
}

describe('readEnv', () => {
  it('given nothing but the required secret, when read, then every default applies', () => {
    expect(readEnv('test', Spec, { JWT_SECRET: SECRET })).toEqual({
      JWT_SECRET: SECRET,
      JWT_AUDIENCE: 'reeltime',
      JWT_ISSUER: 'reeltime',
      DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/reeltime',
      EVENT_STORE: 'postgres',
      EVENTSTORE_SCHEMA: 'eventstore',
      EVENTSTORE_POOL_SIZE: 16,
      TRUST_PROXY: 'loopback',
      LOG_LEVEL: 'info',
      HOST: '0.0.0.0',
      TEST_PORT: 4100,
      WORKERS: 4,
      RATE: 1.5,
      FAST: 'false',
    });
  });

  it('given values, when read, then numbers are coerced, choices are case-blind and blanks around values go', () => {
    const config = readEnv('test', Spec, {
      JWT_SECRET: SECRET,
      WORKERS: ' 8 ',
      RATE: '0.25',
      FAST: 'Yes',
      LOG_LEVEL: 'WARN',
      EVENT_STORE: 'esdb',
      EVENTSTORE_URL: 'esdb://localhost:2113?tls=false',
    });
    expect(config).toMatchObject({ WORKERS: 8, RATE: 0.25, FAST: 'yes', LOG_LEVEL: 'warn', EVENT_STORE: 'esdb' });
    expect(isOn(config.FAST)).toBe(true);
  });

  it('given set-but-empty or blank variables, when read, then they count as unset', () => {
    expect(readEnv('test', Spec, { JWT_SECRET: SECRET, WORKERS: '', RATE: '   ', LOG_LEVEL: '', TRUST_PROXY: '' })).toMatchObject({
      WORKERS: 4,
      RATE: 1.5,
      LOG_LEVEL: 'info',
    });
  });

  it('given PORT and no port of its own, when read, then the service takes PORT; its own wins when both are set', () => {
    expect(readEnv('test', Spec, { JWT_SECRET: SECRET, PORT: '5000' }).TEST_PORT).toBe(5000);
    expect(readEnv('test', Spec, { JWT_SECRET: SECRET, PORT: '5000', TEST_PORT: '5001' }).TEST_PORT).toBe(5001);
  });

  it('given several bad variables, when read, then one error names each with its value and what is expected', () => {
    const error = problems({
      JWT_SECRET: SECRET,
      WORKERS: '1.5',
      RATE: 'fast',
      FAST: 'maybe',
      LOG_LEVEL: 'loud',
      TEST_PORT: '70000',
      EVENTSTORE_SCHEMA: 'Bad-Name',
    });
    expect(error.issues.map((issue) => issue.variable).sort()).toEqual([
      'EVENTSTORE_SCHEMA',
      'FAST',
      'LOG_LEVEL',
      'RATE',
      'TEST_PORT',
      'WORKERS',
    ]);
    expect(error.message).toContain('test: 6 environment variables are not valid');
    expect(error.message).toContain('WORKERS="1.5": must be a whole number — workers (default 4)');
    expect(error.message).toContain('RATE="fast": must be a number');
    expect(error.message).toContain('FAST="maybe": must be one of 1, true, yes, on, 0, false, no, off');
    expect(error.message).toContain('LOG_LEVEL="loud": must be one of fatal, error, warn, info, debug, trace, silent');
    expect(error.message).toContain('TEST_PORT="70000": must be at most 65535');
    expect(error.message).toContain('EVENTSTORE_SCHEMA="Bad-Name": is not in the expected form');
  });

  it('given a missing required variable and checks a schema cannot say, when read, then all are reported together', () => {
    const error = problems({ EVENT_STORE: 'esdb', TRUST_PROXY: 'loopback,proxy.internal', WORKERS: '0' });
    expect(error.issues).toEqual([
      { variable: 'JWT_SECRET', problem: 'is required but not set' },
      { variable: 'WORKERS', problem: 'must be at least 1' },
      { variable: 'EVENTSTORE_URL', problem: expect.stringContaining('is required with EVENT_STORE=esdb') },
      { variable: 'TRUST_PROXY', problem: expect.stringContaining('"proxy.internal" is not an IP address') },
    ]);
  });

  it('given bad secrets, when reported, then their values never appear', () => {
    const error = problems({
      JWT_SECRET: 'hunter2-short',
      DATABASE_URL: 'mysql://admin:hunter3@db:3306/app?sslpassword=hunter4',
      EVENT_STORE: 'esdb',
      EVENTSTORE_URL: 'http://admin:hunter5@kurrent:2113',
    });
    expect(error.issues.map((issue) => issue.variable).sort()).toEqual(['DATABASE_URL', 'EVENTSTORE_URL', 'JWT_SECRET']);
    for (const secret of ['hunter2', 'hunter3', 'hunter4', 'hunter5']) expect(error.message).not.toContain(secret);
    expect(error.message).toContain('JWT_SECRET (a secret of 13 characters, not shown): must be at least 32 characters long');
    expect(error.message).toContain('DATABASE_URL="mysql://admin:***@db:3306/app?…": is not in the expected form');
  });
});

describe('showValue', () => {
  it('shows plain values quoted and cut short, and hides secrets', () => {
    expect(showValue('6 hours', undefined)).toBe('"6 hours"');
    expect(showValue('x'.repeat(200), undefined)).toHaveLength(123);
    expect(showValue('postgres://me:pw@db/app', 'url')).toBe('"postgres://me:***@db/app"');
    expect(showValue('postgres://db/app', 'url')).toBe('"postgres://db/app"');
    expect(showValue('not a url with pw', 'url')).toBe('(a secret of 17 characters, not shown)');
    expect(showValue('abc:def', true)).toBe('(a secret of 7 characters, not shown)');
  });
});
