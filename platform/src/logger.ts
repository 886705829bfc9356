import pino, { type Logger } from 'pino';

/** pino JSON to stdout; `LOG_LEVEL` (default info) so benches and tests can quiet it. */
export function createLogger(name: string, env: NodeJS.ProcessEnv = process.env): Logger {
  return pino({ name, level: env.LOG_LEVEL ?? 'info' });
}
