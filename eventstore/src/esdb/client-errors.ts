import { ErrorType, type CurrentStreamState } from '@kurrent/kurrentdb-client';
import { EventStoreUnavailableError } from '../errors.ts';

/*
 * The client's errors are recognised by their `type` tag rather than `instanceof`: some paths
 * (the native read bridge, the gRPC layer) build them in different places, and a tag survives
 * a second copy of the package in node_modules.
 */

type Tagged = { type?: unknown; code?: unknown; message?: unknown };

function tag(error: unknown): unknown {
  return typeof error === 'object' && error !== null ? (error as Tagged).type : undefined;
}

export function isWrongExpectedVersion(error: unknown): error is Error & { actualState?: CurrentStreamState } {
  return tag(error) === ErrorType.WRONG_EXPECTED_VERSION;
}

export function isStreamNotFound(error: unknown): boolean {
  return tag(error) === ErrorType.STREAM_NOT_FOUND;
}

// gRPC status codes for a server that is down or too slow (a channel that never connected
// rejects with a plain Error carrying only the code).
const GRPC_DEADLINE_EXCEEDED = 4;
const GRPC_UNAVAILABLE = 14;

export function isUnavailable(error: unknown): boolean {
  const t = tag(error);
  if (t !== undefined) return t === ErrorType.UNAVAILABLE || t === ErrorType.DEADLINE_EXCEEDED || t === ErrorType.TIMEOUT;
  const code = typeof error === 'object' && error !== null ? (error as Tagged).code : undefined;
  return code === GRPC_UNAVAILABLE || code === GRPC_DEADLINE_EXCEEDED;
}

/** Unreachable-server errors become the port's retryable error; everything else passes through. */
export function toStoreError(error: unknown, doing: string): unknown {
  if (!isUnavailable(error)) return error;
  const detail = error instanceof Error ? error.message : String(error);
  return new EventStoreUnavailableError(`EventStoreDB unavailable while ${doing}: ${detail}`, { cause: error });
}
