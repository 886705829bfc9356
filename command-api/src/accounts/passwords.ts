import { randomBytes, scrypt as scryptCallback, timingSafeEqual, type ScryptOptions } from 'node:crypto';

/**
 * scrypt (memory-hard, in node:crypto, so no native addon to build): N = 2^15, r = 8 uses
 * 32 MiB and ~60 ms per hash here. The parameters are stored with each hash, so raising them
 * later only affects new hashes.
 */
const DEFAULT_LOG_N = 15;
const KEY_LENGTH = 32;

function scrypt(password: string, salt: Buffer, keyLength: number, options: ScryptOptions): Promise<Buffer> {
  return new Promise((resolve, reject) =>
    scryptCallback(password, salt, keyLength, options, (error, key) => (error ? reject(error) : resolve(key))),
  );
}

function options(logN: number): ScryptOptions {
  const N = 2 ** logN;
  return { N, r: 8, p: 1, maxmem: 256 * N * 8 };
}

export async function hashPassword(password: string, logN = DEFAULT_LOG_N): Promise<string> {
  const salt = randomBytes(16);
  const key = await scrypt(password.normalize('NFC'), salt, KEY_LENGTH, options(logN));
  return `scrypt$${logN}$${salt.toString('base64url')}$${key.toString('base64url')}`;
}

/**
 * Stored for accounts that exist but must never sign in (the demo community seeded by ingest):
 * not an scrypt hash, so `verifyPassword` refuses every password. Cheap where 220 scrypt hashes
 * of throwaway passwords would cost seconds, and there is no secret that could leak.
 */
export const UNUSABLE_PASSWORD_HASH = '!unusable';

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const [scheme, logN, salt, key] = stored.split('$');
  if (scheme !== 'scrypt' || !logN || !salt || !key) return false;
  const expected = Buffer.from(key, 'base64url');
  const actual = await scrypt(password.normalize('NFC'), Buffer.from(salt, 'base64url'), expected.length, options(Number(logN)));
  return timingSafeEqual(actual, expected);
}

/** Verified against when the email is unknown, so both answers take as long. */
let decoy: Promise<string> | undefined;
export function decoyHash(logN = DEFAULT_LOG_N): Promise<string> {
  decoy ??= hashPassword(randomBytes(12).toString('base64url'), logN);
  return decoy;
}
