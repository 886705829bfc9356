import { createHash } from 'node:crypto';

/** Our own UUID v5 namespace for catalog events (a random UUID, fixed forever). */
const NAMESPACE = Buffer.from('6c1f0d0e8f2a4f4b9a57b1d0c3e2a914', 'hex');

/** RFC 4122 version 5: SHA-1 of namespace + name, with the version and variant bits set. */
export function uuidV5(name: string): string {
  const hash = createHash('sha1').update(NAMESPACE).update(name).digest();
  hash[6] = (hash[6]! & 0x0f) | 0x50;
  hash[8] = (hash[8]! & 0x3f) | 0x80;
  const hex = hash.subarray(0, 16).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/**
 * The id of the event an append puts at `version` of `stream`. Built from the content too, not
 * just the position: a retried append of the same decision is then recognised as already
 * stored, while a different decision at the same version still fails as a conflict.
 */
export function catalogEventId(stream: string, version: number, type: string, data: unknown): string {
  return uuidV5(`${stream}\n${version}\n${type}\n${JSON.stringify(data)}`);
}
