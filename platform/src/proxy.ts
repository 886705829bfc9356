import { isIP } from 'node:net';
import { Type } from 'typebox';
import { defineEnv } from './config/read-env.ts';

/**
 * Which direct peers may tell a service the client's address through `X-Forwarded-For`: `false`
 * (none: the peer is the client), or addresses, CIDR ranges and the named ranges `loopback`,
 * `linklocal`, `uniquelocal`. Given to Fastify's `trustProxy`; `request.ip` is then the
 * right-most address of the chain that is not a trusted proxy, so a client cannot choose its
 * own address by sending the header through a trusted proxy either.
 */
export type TrustProxy = false | string[];

/**
 * The web server (SvelteKit, port 3000) runs beside the APIs and calls them over 127.0.0.1, in
 * `npm start` and in the compose container alike; only processes on the machine can connect
 * from loopback, and they could reach the APIs directly anyway.
 */
export const DEFAULT_TRUST_PROXY: TrustProxy = ['loopback'];

const NAMED = new Set(['loopback', 'linklocal', 'uniquelocal']);

function validEntry(entry: string): boolean {
  if (NAMED.has(entry)) return true;
  const [address, prefix, ...rest] = entry.split('/');
  const family = isIP(address ?? '');
  if (family === 0 || rest.length > 0) return false;
  if (prefix === undefined) return true;
  if (!/^\d{1,3}$/.test(prefix)) return false;
  return Number(prefix) <= (family === 4 ? 32 : 128);
}

/**
 * `TRUST_PROXY`: unset or empty → `loopback`; `false` (or `none`) → trust no peer; otherwise a
 * comma-separated list, e.g. `loopback,10.0.0.0/8`. `true` is refused: trusting every peer
 * would let any client pick the address its limits are counted under.
 */
export function parseTrustProxy(raw: string | undefined): TrustProxy {
  const text = raw?.trim();
  if (text === undefined || text === '') return DEFAULT_TRUST_PROXY;
  if (/^(false|none)$/i.test(text)) return false;
  if (/^true$/i.test(text)) {
    throw new Error('true would let any client choose its address; list the proxy addresses instead (e.g. loopback,10.0.0.0/8), or false');
  }
  const entries = text.split(',').map((entry) => entry.trim());
  const bad = entries.filter((entry) => !validEntry(entry));
  if (bad.length > 0) {
    throw new Error(
      `${bad.map((entry) => JSON.stringify(entry)).join(', ')} is not an IP address, a CIDR range, loopback, linklocal or uniquelocal (or use false)`,
    );
  }
  return entries;
}

export const TrustProxyEnv = defineEnv(
  {
    TRUST_PROXY: Type.String({
      description:
        'peers whose X-Forwarded-For is believed: false, or a comma-separated list of addresses, CIDR ranges, loopback, linklocal, uniquelocal',
      default: 'loopback',
    }),
  },
  {
    checks: [
      (config) => {
        try {
          parseTrustProxy(config.TRUST_PROXY);
          return [];
        } catch (error) {
          return [{ variable: 'TRUST_PROXY', problem: (error as Error).message }];
        }
      },
    ],
  },
);
