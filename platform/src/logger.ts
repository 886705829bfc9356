import pino, { type DestinationStream, type Logger, type LoggerOptions } from 'pino';

/*
 * The one logger setup of every process: pino JSON, and no secret in any line. Credentials
 * reach a log three ways, each closed here:
 * - as a field (a header, a body, a settings object): `redact` censors these names at any of
 *   the first three levels;
 * - inside a URL (`GET /live?token=<access token>`, TMDb's `?api_key=`, `postgres://u:pw@h`):
 *   every top-level string, the `req` serializer and error messages and stacks go through
 *   `redactSecrets`;
 * - inside an error message (`Bearer <token>`): the same.
 */

const CENSOR = '[redacted]';

/** Field names whose values are credentials, wherever they sit. */
const SECRET_FIELDS = [
  'authorization',
  'cookie',
  'set-cookie',
  'password',
  'passwordHash',
  'token',
  'accessToken',
  'refreshToken',
  'apiKey',
  'api_key',
  'secret',
  'credential',
];

/** Each name at the top, one and two levels down (`headers.authorization`, `req.body.password`). */
const REDACT_PATHS = SECRET_FIELDS.flatMap((name) => {
  const key = /^[A-Za-z_$][\w$]*$/.test(name) ? `.${name}` : `["${name}"]`;
  return [key.replace(/^\./, ''), `*${key}`, `*.*${key}`];
});

/** A query parameter whose name says it carries a credential. */
const SECRET_PARAMETER =
  /([?&;](?:[^=&#\s]*?)(?:token|key|secret|password|passwd|auth|session|signature|credential)[^=&#\s]*=)[^&#\s"']*/gi;
// Long enough to be a credential, so "basic auth failed" stays readable.
const BEARER = /\b(bearer|basic)\s+[A-Za-z0-9._~+/=-]{12,}/gi;
const URL_PASSWORD = /(\b[a-z][a-z0-9+.-]*:\/\/[^:/?#\s@]*:)[^@/?#\s]+@/gi;

/** `text` with query-string credentials, `Bearer`/`Basic` tokens and URL passwords replaced. */
export function redactSecrets(text: string): string {
  return text.replace(SECRET_PARAMETER, `$1${CENSOR}`).replace(BEARER, `$1 ${CENSOR}`).replace(URL_PASSWORD, `$1${CENSOR}@`);
}

type RequestLike = { method?: string; url?: string; id?: unknown; ip?: string };

/** A request as a log shows it: method and URL without credentials, never its headers or body. */
function requestSerializer(request: RequestLike) {
  return { method: request.method, url: typeof request.url === 'string' ? redactSecrets(request.url) : undefined, id: request.id };
}

function errorSerializer(error: unknown) {
  const serialized = pino.stdSerializers.err(error as Error);
  if (typeof serialized?.message === 'string') serialized.message = redactSecrets(serialized.message);
  if (typeof serialized?.stack === 'string') serialized.stack = redactSecrets(serialized.stack);
  return serialized;
}

/** The caller's object is left alone: a copy is made only when a string had a secret. */
function scrubStrings(fields: Record<string, unknown>): Record<string, unknown> {
  let scrubbed: Record<string, unknown> | undefined;
  for (const [key, value] of Object.entries(fields)) {
    if (typeof value !== 'string') continue;
    const clean = redactSecrets(value);
    if (clean !== value) (scrubbed ??= { ...fields })[key] = clean;
  }
  return scrubbed ?? fields;
}

/** pino options of every Reeltime logger; `createLogger` is the usual way to get one. */
export function loggerOptions(name: string, level: string): LoggerOptions {
  return {
    name,
    level,
    redact: { paths: REDACT_PATHS, censor: CENSOR },
    serializers: { req: requestSerializer, request: requestSerializer, err: errorSerializer, error: errorSerializer },
    formatters: { log: scrubStrings },
    hooks: {
      // The message itself (`log.warn('calling ' + url)`) is scrubbed like any field.
      logMethod(args, method) {
        const scrubbed = args.map((arg) => (typeof arg === 'string' ? redactSecrets(arg) : arg)) as Parameters<typeof method>;
        return method.apply(this, scrubbed);
      },
    },
  };
}

/** pino JSON to stdout (or `destination`) at the process's `LOG_LEVEL` (read with its other settings: `logEnv`). */
export function createLogger(name: string, level: string, destination?: DestinationStream): Logger {
  return pino(loggerOptions(name, level), destination);
}
