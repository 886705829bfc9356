import type { ReelEvent } from '@reeltime/schemas';
import { describe, expect, it } from 'vitest';
import { CommandRefused, fold, unreachable, type Decider } from './decider.ts';
import { given, invalidEvents, USER_ID } from './given.testing.ts';

// A small decider over real events: a counter of ratings that refuses a second unrating.
type CounterEvent = Extract<ReelEvent, { type: 'TitleRated' | 'TitleUnrated' }>;
type CounterState = { status: 'unrated' } | { status: 'rated'; score: number };
type CounterCommand = { type: 'Rate'; score: number } | { type: 'Unrate' } | { type: 'Scribble' };

const titleId = 'movie:603';
const rated = (score: number): CounterEvent => ({ type: 'TitleRated', data: { userId: USER_ID, titleId, score, containsSpoilers: false } });
const unrated: CounterEvent = { type: 'TitleUnrated', data: { userId: USER_ID, titleId } };

const counter: Decider<CounterCommand, CounterState, CounterEvent> = {
  initialState: { status: 'unrated' },
  decide(command, state) {
    switch (command.type) {
      case 'Rate':
        return state.status === 'rated' && state.score === command.score ? [] : [rated(command.score)];
      case 'Unrate':
        if (state.status === 'unrated') throw new CommandRefused('not_rated', 'Not rated', 404);
        return [unrated];
      case 'Scribble':
        // Breaks both rules the helper checks: it mutates the state and emits an invalid event.
        (state as { status: string }).status = 'scribbled';
        return [{ type: 'TitleRated', data: { userId: USER_ID, titleId, score: 99, containsSpoilers: false } }];
    }
  },
  evolve: (_state, event) => (event.type === 'TitleRated' ? { status: 'rated', score: event.data.score } : { status: 'unrated' }),
};

describe('fold', () => {
  it('starts from the initial state when there are no events', () => {
    expect(fold(counter, [])).toEqual({ status: 'unrated' });
  });

  it('applies the events oldest first', () => {
    expect(fold(counter, [rated(3), unrated, rated(7)])).toEqual({ status: 'rated', score: 7 });
  });
});

describe('CommandRefused', () => {
  it('is a conflict unless told otherwise, and keeps its code', () => {
    const refusal = new CommandRefused('list_exists', 'List exists');
    expect(refusal).toBeInstanceOf(Error);
    expect(refusal).toMatchObject({ name: 'CommandRefused', code: 'list_exists', status: 409, message: 'List exists' });
    expect(new CommandRefused('not_owner', 'No', 403).status).toBe(403);
  });
});

describe('unreachable', () => {
  it('throws, naming the value no case handled', () => {
    expect(() => unreachable({ type: 'Unknown' } as never)).toThrow(new TypeError('No case for {"type":"Unknown"}'));
  });
});

describe('invalidEvents', () => {
  it('names every event the registry would refuse, and nothing for valid ones', () => {
    expect(invalidEvents([rated(8), unrated])).toEqual([]);
    expect(invalidEvents([rated(99)])).toEqual([expect.stringMatching(/^TitleRated\/score: /)]);
  });
});

describe('given/when/then', () => {
  it('passes when the decision is what was expected', () => {
    given(counter, [rated(3)])
      .when({ type: 'Rate', score: 5 })
      .then([rated(5)]);
    given(counter, [rated(5)])
      .when({ type: 'Rate', score: 5 })
      .thenNothing();
    given(counter).when({ type: 'Unrate' }).thenRefused('not_rated', 404);
  });

  it('fails when the events differ, or when events were expected and none came', () => {
    expect(() =>
      given(counter)
        .when({ type: 'Rate', score: 5 })
        .then([rated(6)]),
    ).toThrow();
    expect(() =>
      given(counter, [rated(5)])
        .when({ type: 'Rate', score: 5 })
        .then([rated(5)]),
    ).toThrow();
    expect(() => given(counter).when({ type: 'Rate', score: 5 }).thenNothing()).toThrow();
  });

  it('fails a refusal with another code or status, or no refusal at all', () => {
    expect(() => given(counter).when({ type: 'Unrate' }).thenRefused('not_rated', 409)).toThrow();
    expect(() => given(counter).when({ type: 'Unrate' }).thenRefused('list_exists', 404)).toThrow();
    expect(() =>
      given(counter, [rated(1)])
        .when({ type: 'Unrate' })
        .thenRefused('not_rated', 404),
    ).toThrow();
  });

  it('fails events the store would refuse, even when they are the ones expected', () => {
    expect(() =>
      given(counter)
        .when({ type: 'Rate', score: 99 })
        .then([rated(99)]),
    ).toThrow();
  });

  it('fails a decide that mutates the state it was given', () => {
    expect(() => given(counter).when({ type: 'Scribble' }).thenNothing()).toThrow(/decide must not mutate the state/);
  });

  it('fails a history the store would not accept', () => {
    expect(() => given(counter, [rated(99)])).toThrow(/the history must be events the store would accept/);
  });
});
