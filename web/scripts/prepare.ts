/*
 * `npm start --workspace web`, first step (`tsx scripts/prepare.ts && node scripts/serve.js`):
 * checks the server's variables (a bad one stops here, exit 2, with one message naming each),
 * then builds the app when the build is missing or older than its sources (so a clean clone
 * needs only `npm ci && npm start`). `scripts/serve.js` then serves it with plain node.
 */
import { readEnv, settingsOrExit } from '@reeltime/platform/config';
import pino from 'pino';
import { ensureWebBuild } from './build.ts';
import { WebEnv } from './env.ts';

const config = settingsOrExit(() => readEnv('web', WebEnv));
const log = pino({ name: 'web', level: config.LOG_LEVEL });
ensureWebBuild((line) => log.info(line));
