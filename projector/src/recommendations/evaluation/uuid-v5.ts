import { createHash } from 'node:crypto';

/*
 * RFC 4122 name-based UUIDs (version 5, SHA-1): the same MovieLens user always becomes the
 * same Reeltime user id, so runs, logs and reasons can be compared across evaluations.
 * Written out here (a dozen lines) rather than pulled from a package the projector does not
 * otherwise need.
 */

/** The RFC 4122 URL namespace, `6ba7b811-9dad-11d1-80b4-00c04fd430c8`. */
export const URL_NAMESPACE = '6ba7b811-9dad-11d1-80b4-00c04fd430c8';

export function uuidV5(name: string, namespace: string): string {
  const namespaceBytes = Buffer.from(namespace.replace(/-/g, ''), 'hex');
  if (namespaceBytes.length !== 16) throw new TypeError(`not a UUID namespace: ${namespace}`);
  const bytes = createHash('sha1').update(namespaceBytes).update(name, 'utf8').digest().subarray(0, 16);
  bytes[6] = (bytes[6]! & 0x0f) | 0x50; // version 5
  bytes[8] = (bytes[8]! & 0x3f) | 0x80; // RFC 4122 variant
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
