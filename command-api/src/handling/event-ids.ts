import { createHash, randomUUID } from 'node:crypto';

/** A UUID (v8 layout) from a hash: the same inputs give the same id. */
export function deterministicUuid(...parts: string[]): string {
  const hex = createHash('sha256').update(parts.join('\u0000')).digest('hex');
  const variant = ((Number.parseInt(hex[16]!, 16) & 0x3) | 0x8).toString(16);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-8${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

/**
 * Event ids for one command. With an Idempotency-Key they derive from it, so a retry after a
 * crash between append and answer re-appends the same ids and the store ignores them.
 */
export function eventIdsFor(scope: { userId: string; idempotencyKey?: string; stream: string }): (index: number) => string {
  if (scope.idempotencyKey === undefined) return () => randomUUID();
  const { userId, idempotencyKey, stream } = scope;
  return (index) => deterministicUuid('event', userId, idempotencyKey, stream, String(index));
}
