import pino, { type DestinationStream, type Logger } from 'pino';

/** JSON logs; each sync run adds its correlation id (the run id) through a child logger. */
export function createLogger(level: string, destination?: DestinationStream): Logger {
  return pino({ name: 'ingest', level }, destination);
}
