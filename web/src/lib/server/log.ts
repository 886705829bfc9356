import pino from 'pino';

/** The web server's log: pino JSON like every other service, one line per request. */
export const log = pino({
  name: 'web',
  level: process.env.LOG_LEVEL ?? 'info',
  redact: { paths: ['password', '*.password', 'refreshToken', '*.refreshToken', 'accessToken', '*.accessToken', 'token', '*.token'], censor: '[redacted]' },
});
