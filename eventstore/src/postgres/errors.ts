import { EventStoreUnavailableError } from '../errors.ts';

const NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ENOTFOUND', 'ETIMEDOUT', 'EPIPE', 'EAI_AGAIN']);

/**
 * Connection trouble (network errors, SQLSTATE class 08, server shutting down or not ready)
 * becomes the port's retryable EventStoreUnavailableError; anything else is passed on as is.
 */
export function toStoreError(error: unknown, doing: string): unknown {
  const code = (error as { code?: unknown })?.code;
  const unavailable =
    (typeof code === 'string' && (NETWORK_CODES.has(code) || code.startsWith('08') || ['57P01', '57P02', '57P03'].includes(code))) ||
    /Connection terminated|timeout exceeded when trying to connect/i.test((error as Error)?.message ?? '');
  return unavailable
    ? new EventStoreUnavailableError(`PostgreSQL unavailable while ${doing}: ${(error as Error).message}`, { cause: error })
    : error;
}

export async function guarded<T>(doing: string, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    throw toStoreError(error, doing);
  }
}
