import pino from 'pino';

/** The web server's log: pino JSON like every other service, one line per request. */
export const log = pino({
  name: 'web',
  // Checked by scripts/prepare.ts (web/scripts/env.ts) before the server starts; empty means unset.
  level: process.env.LOG_LEVEL?.trim().toLowerCase() || 'info',
  redact: {
    paths: ['password', '*.password', 'refreshToken', '*.refreshToken', 'accessToken', '*.accessToken', 'token', '*.token'],
    censor: '[redacted]',
  },
});
