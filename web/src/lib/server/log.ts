import { createLogger } from '@reeltime/platform/logger';

/**
 * The web server's log: the same pino setup as every other service (JSON, secrets redacted from
 * fields, URLs and error messages), one line per request.
 */
// LOG_LEVEL is checked by scripts/prepare.ts (web/scripts/env.ts) before the server starts; empty means unset.
export const log = createLogger('web', process.env.LOG_LEVEL?.trim().toLowerCase() || 'info');
