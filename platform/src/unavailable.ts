/*
 * "A dependency is unreachable, try again": the one place that recognises it, so every service
 * answers 503 with Retry-After, whichever of its checks (an account look-up, an idempotency
 * record, the event store, a read model) meets the outage first.
 */

const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ENOTFOUND',
  'ETIMEDOUT',
  'EPIPE',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
]);

// SQLSTATE: 08 connection exceptions; 57P01-57P03 the server shutting down, crashed or still
// starting; 57014 a statement timeout; 53 out of resources (too many connections).
const SQLSTATE = /^(08|57P0[1-3]|57014|53)/;

// node-postgres reports these without a code: a pool wait that timed out, a connection the
// server closed mid-query, a client that already lost its connection.
const MESSAGES =
  /timeout exceeded when trying to connect|Connection terminated|connection error and is not queryable|Client was closed and is not queryable/i;

/** True for errors that mean "unreachable right now", also when wrapped as an error's `cause`. */
export function isDependencyUnavailable(error: unknown): boolean {
  for (let current = error, depth = 0; current !== null && typeof current === 'object' && depth < 5; depth++) {
    const { name, code, message } = current as { name?: unknown; code?: unknown; message?: unknown };
    // The event store's typed unavailability (by name: the platform does not depend on the store).
    if (name === 'EventStoreUnavailableError') return true;
    if (typeof code === 'string' && (NETWORK_CODES.has(code) || SQLSTATE.test(code))) return true;
    if (typeof message === 'string' && MESSAGES.test(message)) return true;
    current = (current as { cause?: unknown }).cause;
  }
  return false;
}

/** Seconds a client should wait before retrying a 503 of an unreachable dependency. */
export const UNAVAILABLE_RETRY_AFTER_SECONDS = 2;
