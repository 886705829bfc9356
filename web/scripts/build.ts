/*
 * The production build of the web app (web/build, adapter-node), rebuilt only when its sources
 * changed: by `npm start` (scripts/start.ts), the browser tests and bench:web.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const WEB_DIRECTORY = fileURLToPath(new URL('..', import.meta.url));
export const BUILD_ENTRY = join(WEB_DIRECTORY, 'build', 'index.js');
const BUILT_MARKER = join(WEB_DIRECTORY, 'build', 'handler.js');
const SOURCES = ['src', 'static', 'svelte.config.js', 'vite.config.ts', 'package.json', '../schemas/src'];

function newestChange(path: string): number {
  if (!existsSync(path)) return 0;
  const stats = statSync(path);
  if (!stats.isDirectory()) return stats.mtimeMs;
  return readdirSync(path).reduce((newest, name) => Math.max(newest, newestChange(join(path, name))), stats.mtimeMs);
}

export function buildIsStale(): boolean {
  if (!existsSync(BUILT_MARKER)) return true;
  const built = statSync(BUILT_MARKER).mtimeMs;
  return SOURCES.some((source) => newestChange(join(WEB_DIRECTORY, source)) > built);
}

/** Builds web/build when it is missing or older than its sources; returns whether it built. */
export function ensureWebBuild(log: (line: string) => void = console.log): boolean {
  if (!buildIsStale()) return false;
  log('web: building the app (sources changed or no build yet)');
  const started = Date.now();
  const vite = join(WEB_DIRECTORY, '..', 'node_modules', '.bin', 'vite');
  const result = spawnSync(vite, ['build', '--logLevel', 'error'], {
    cwd: WEB_DIRECTORY,
    stdio: ['ignore', 'ignore', 'inherit'],
    env: { ...process.env, NODE_ENV: 'production' },
  });
  if (result.status !== 0)
    throw new Error(`vite build failed (exit ${result.status ?? result.signal}); run \`cd web && npx vite build\` to see why`);
  log(`web: built in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  return true;
}
