import { describe, expect, it } from 'vitest';
import { Compile } from 'typebox/compile';
import { EventEnvelope } from './envelope.ts';

const envelope = Compile(EventEnvelope);
const valid: EventEnvelope = {
  eventId: '2d6f0a1e-8c3b-4d5e-9f7a-1b2c3d4e5f60',
  type: 'TitleRated',
  schemaVersion: 2,
  occurredAt: '2024-05-17T20:15:00.000Z',
  correlationId: 'req-7f3a',
  causationId: 'req-7f3a',
  userId: '6f1c2a9e-3b4d-4e5f-8a7b-9c0d1e2f3a4b',
};

describe('EventEnvelope', () => {
  it('accepts a user event and a system event (userId null)', () => {
    expect(envelope.Check(valid)).toBe(true);
    expect(envelope.Check({ ...valid, userId: null })).toBe(true);
  });

  it.each([
    ['a non-uuid eventId', { eventId: 'abc' }, '/eventId'],
    ['schemaVersion 0', { schemaVersion: 0 }, '/schemaVersion'],
    ['a date without time', { occurredAt: '2024-05-17' }, '/occurredAt'],
    ['an empty correlationId', { correlationId: '' }, '/correlationId'],
    ['a 201-char causationId', { causationId: 'x'.repeat(201) }, '/causationId'],
    ['a missing userId', { userId: undefined }, '/userId'],
  ])('rejects %s', (_name, patch, path) => {
    const value = { ...valid, ...patch };
    expect(envelope.Check(value)).toBe(false);
    expect(envelope.Errors(value).map((error) => error.instancePath)).toContain(path);
  });
});
