import { eventRegistry, type ReelEvent } from '@reeltime/schemas';
import { expect } from 'vitest';
import { CommandRefused, fold, type Decider, type RefusalStatus } from './decider.ts';

export const USER_ID = '6f1c2a9e-3b4d-4e5f-8a7b-9c0d1e2f3a4b';
export const OTHER_USER_ID = '0b7e6d5c-4a39-4281-9f0e-d1c2b3a49586';

/** Every issue the registry finds in the events, by type; empty when the store would accept them all. */
export function invalidEvents(events: readonly ReelEvent[]): string[] {
  return events.flatMap((event) =>
    eventRegistry.check(event.type, event.data).map((issue) => `${event.type}${issue.path}: ${issue.message}`),
  );
}

/**
 * Given/when/then for deciders. Every outcome also asserts what must hold for any command: the
 * produced events pass the registry (the store would reject them otherwise) and decide left the
 * folded state untouched (it is shared with the next decision).
 */
export function given<Command, State, Event extends ReelEvent>(decider: Decider<Command, State, Event>, history: readonly Event[] = []) {
  expect(invalidEvents(history), 'the history must be events the store would accept').toEqual([]);
  const state = fold(decider, history);
  return {
    when(command: Command) {
      const decide = (): Event[] => {
        const before = structuredClone(state);
        try {
          return decider.decide(command, state);
        } finally {
          expect(state, 'decide must not mutate the state').toEqual(before);
        }
      };
      return {
        then(expected: readonly Event[]): void {
          const events = decide();
          expect(events).toEqual(expected);
          expect(invalidEvents(events)).toEqual([]);
        },
        thenNothing(): void {
          expect(decide()).toEqual([]);
        },
        thenRefused(code: string, status: RefusalStatus): void {
          let refusal: unknown;
          try {
            decide();
          } catch (error) {
            refusal = error;
          }
          expect(refusal).toBeInstanceOf(CommandRefused);
          expect(refusal).toMatchObject({ code, status });
        },
      };
    },
  };
}
