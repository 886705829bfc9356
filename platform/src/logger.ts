import pino, { type Logger } from 'pino';

/** pino JSON to stdout at the process's `LOG_LEVEL` (read with its other settings: `logEnv`). */
export function createLogger(name: string, level: string): Logger {
  return pino({ name, level });
}
