import { describe, expect, it } from 'vitest';
import { ingestSettings, parseDuration, TMDB_DEFAULT_BASE_URL } from './settings.ts';

describe('parseDuration', () => {
  it.each([
    ['6h', 21_600_000],
    ['30m', 1_800_000],
    ['1h30m', 5_400_000],
    ['45s', 45_000],
    ['250ms', 250],
    ['90000', 90_000],
    ['1.5h', 5_400_000],
  ])('reads %s', (text, ms) => expect(parseDuration(text)).toBe(ms));

  it.each(['', 'soon', '6 hours', '6h-'])('refuses %j', (text) => expect(() => parseDuration(text)).toThrow(/cannot read duration/));
});

describe('ingestSettings', () => {
  it('defaults to TMDb itself, 40 requests/s and a 6 h schedule, without a credential', () => {
    expect(ingestSettings({})).toMatchObject({
      credential: null,
      baseUrl: TMDB_DEFAULT_BASE_URL,
      requestsPerSecond: 40,
      intervalMs: 6 * 3_600_000,
      schema: 'ingest',
      commandSchema: 'command',
      demoCommunity: true,
    });
  });

  it('prefers the read access token to the API key', () => {
    expect(ingestSettings({ TMDB_READ_ACCESS_TOKEN: 'eyJ', TMDB_API_KEY: 'k' }).credential).toEqual({ kind: 'bearer', token: 'eyJ' });
    expect(ingestSettings({ TMDB_API_KEY: 'k' }).credential).toEqual({ kind: 'apiKey', key: 'k' });
  });

  it('reads the base URL, rate and interval from the environment', () => {
    expect(ingestSettings({ TMDB_BASE_URL: 'http://127.0.0.1:9/3', TMDB_RATE_LIMIT: '0', INGEST_INTERVAL: '30m' })).toMatchObject({
      baseUrl: 'http://127.0.0.1:9/3',
      requestsPerSecond: 0,
      intervalMs: 1_800_000,
    });
  });

  it('reads the command schema and whether to seed the demo community', () => {
    expect(ingestSettings({ COMMAND_SCHEMA: 'cmd', INGEST_DEMO_COMMUNITY: 'off' })).toMatchObject({
      commandSchema: 'cmd',
      demoCommunity: false,
    });
    expect(ingestSettings({ INGEST_DEMO_COMMUNITY: 'true' }).demoCommunity).toBe(true);
    expect(() => ingestSettings({ INGEST_DEMO_COMMUNITY: 'maybe' })).toThrow(/INGEST_DEMO_COMMUNITY/);
    expect(() => ingestSettings({ COMMAND_SCHEMA: 'Bad-Name' })).toThrow(/schema/);
  });

  it('takes a variable set but empty as unset (as docker compose passes an unset one)', () => {
    expect(ingestSettings({ INGEST_INTERVAL: '', TMDB_RATE_LIMIT: ' ', INGEST_DEMO_COMMUNITY: '', TMDB_API_KEY: '' })).toMatchObject({
      intervalMs: 6 * 3_600_000,
      requestsPerSecond: 40,
      demoCommunity: true,
      credential: null,
    });
  });

  it('logs warnings only in the CLI unless LOG_LEVEL says otherwise', () => {
    expect(ingestSettings({}).logLevel).toBe('info');
    expect(ingestSettings({}, { cli: true }).logLevel).toBe('warn');
    expect(ingestSettings({ LOG_LEVEL: 'debug' }, { cli: true }).logLevel).toBe('debug');
  });

  it('refuses settings that make no sense', () => {
    expect(() => ingestSettings({ TMDB_RATE_LIMIT: '-1' })).toThrow(/TMDB_RATE_LIMIT/);
    expect(() => ingestSettings({ INGEST_INTERVAL: '10ms' })).toThrow(/INGEST_INTERVAL="10ms": must be at least 1s/);
    expect(() => ingestSettings({ INGEST_INTERVAL: '6 hours' })).toThrow(/INGEST_INTERVAL="6 hours": is not in the expected form/);
  });
});
