/**
 * An aggregate as a decider: pure `decide` (may the command happen, and what events does it
 * produce) and `evolve` (fold one event into the state). I/O stays in the command handler.
 */
export type Decider<Command, State, Event> = {
  initialState: State;
  decide(command: Command, state: State): Event[];
  evolve(state: State, event: Event): State;
};

/** How a refused command answers over HTTP (problem+json status). */
export type RefusalStatus = 403 | 404 | 409;

/** A domain rule refused the command. `code` is stable for clients; nothing was appended. */
export class CommandRefused extends Error {
  override readonly name = 'CommandRefused';
  constructor(
    readonly code: string,
    message: string,
    readonly status: RefusalStatus = 409,
  ) {
    super(message);
  }
}

/** The state after every event of a stream, oldest first. */
export function fold<State, Event>(
  decider: Pick<Decider<unknown, State, Event>, 'initialState' | 'evolve'>,
  events: readonly Event[],
): State {
  return events.reduce(decider.evolve, decider.initialState);
}

/**
 * The `default` of an exhaustive `switch`: it compiles only when every case is handled, and at
 * run time names the value no case matched (an event or command type the slice does not know).
 */
export function unreachable(value: never): never {
  throw new TypeError(`No case for ${JSON.stringify(value)}`);
}
