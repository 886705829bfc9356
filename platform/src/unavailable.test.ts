import { describe, expect, it } from 'vitest';
import { isDependencyUnavailable } from './unavailable.ts';

const pgError = (code: string) => Object.assign(new Error('server said no'), { code, severity: 'FATAL' });

describe('isDependencyUnavailable', () => {
  it.each([
    ['a refused connection', Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' })],
    ['a server shutting down (57P01)', pgError('57P01')],
    ['a server still starting (57P03)', pgError('57P03')],
    ['a connection exception (08006)', pgError('08006')],
    ['too many connections (53300)', pgError('53300')],
    ['a pool wait that timed out', new Error('timeout exceeded when trying to connect')],
    ['a connection closed mid-query', new Error('Connection terminated unexpectedly')],
    ['a client that lost its connection', new Error('Client has encountered a connection error and is not queryable')],
    ['the event store being unreachable', Object.assign(new Error('PostgreSQL unavailable'), { name: 'EventStoreUnavailableError' })],
    ['one of these as a cause', new Error('account check failed', { cause: Object.assign(new Error('x'), { code: 'ECONNRESET' }) })],
  ])('is true for %s', (_, error) => {
    expect(isDependencyUnavailable(error)).toBe(true);
  });

  it.each([
    ['a unique violation', pgError('23505')],
    ['a syntax error', pgError('42601')],
    ['a bug', new TypeError('x is undefined')],
    ['nothing', undefined],
    ['a string', 'ECONNREFUSED'],
  ])('is false for %s', (_, error) => {
    expect(isDependencyUnavailable(error)).toBe(false);
  });
});
