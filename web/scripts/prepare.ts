/*
 * `npm start --workspace web`, first step (`tsx scripts/prepare.ts && node scripts/serve.js`): builds the app when the build is missing or older
 * than its sources (so a clean clone needs only `npm ci && npm start`). `scripts/serve.js` then
 * serves it with plain node.
 */
import { ensureWebBuild } from './build.ts';

ensureWebBuild((line) => console.log(JSON.stringify({ level: 30, time: Date.now(), name: 'web', msg: line })));
