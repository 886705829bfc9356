import { loggerOptions } from '@reeltime/platform';
import pino, { type DestinationStream, type Logger } from 'pino';

/** JSON logs, redacted like every service's; each sync run adds its correlation id (the run id) through a child logger. */
export function createLogger(level: string, destination?: DestinationStream): Logger {
  return pino(loggerOptions('ingest', level), destination);
}
