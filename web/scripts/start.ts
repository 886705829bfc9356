/*
 * `npm start --workspace web`: builds the app when the build is missing or older than its
 * sources (so a clean clone needs only `npm ci && npm start`), then serves it with adapter-node
 * on WEB_PORT (default 3000).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const web = fileURLToPath(new URL('..', import.meta.url));
const SOURCES = ['src', 'static', 'svelte.config.js', 'vite.config.ts', 'package.json', '../schemas/src'];
const BUILT = join(web, 'build', 'handler.js');

function newestChange(path: string): number {
  if (!existsSync(path)) return 0;
  const stats = statSync(path);
  if (!stats.isDirectory()) return stats.mtimeMs;
  return readdirSync(path).reduce((newest, name) => Math.max(newest, newestChange(join(path, name))), stats.mtimeMs);
}

export function buildIsStale(): boolean {
  if (!existsSync(BUILT)) return true;
  const built = statSync(BUILT).mtimeMs;
  return SOURCES.some((source) => newestChange(join(web, source)) > built);
}

if (buildIsStale()) {
  console.log(JSON.stringify({ level: 30, name: 'web', msg: 'building the web app (sources changed or no build yet)' }));
  const result = spawnSync('npx', ['vite', 'build', '--logLevel', 'warn'], { cwd: web, stdio: 'inherit' });
  if (result.status !== 0) process.exit(result.status ?? 1);
}

process.env.PORT = process.env.WEB_PORT ?? process.env.PORT ?? '3000';
process.env.HOST ??= '0.0.0.0';
// Let adapter-node's handler own the process from here.
await import(join(web, 'build', 'index.js'));
