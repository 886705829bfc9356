import { fileURLToPath } from 'node:url';
import { svelte } from '@sveltejs/vite-plugin-svelte';
import type { Plugin } from 'vite';
import { defineProject } from 'vitest/config';

/*
 * The web app's unit tests (src/**\/*.test.ts), a project of the root config. The Svelte plugin
 * compiles `.svelte.ts` modules (runes) with the app's svelte.config.js; `$lib` and the `$env`/
 * `$app` modules a server module imports are resolved here.
 *
 * Not the `sveltekit()` plugin of vite.config.ts: it reads svelte.config.js and src/ from
 * process.cwd() (sveltejs/kit#11356), so it cannot run as one project of a Vitest started at the
 * repository root. The browser tests in e2e/ cover what only the real SvelteKit runtime does.
 */
const here = (path: string) => fileURLToPath(new URL(path, import.meta.url));

/** `$env/*` and `$app/environment` as SvelteKit gives them to server code in Node. */
const VIRTUAL: Record<string, string> = {
  '$env/dynamic/private': 'export const env = process.env;',
  '$env/dynamic/public': "export const env = Object.fromEntries(Object.entries(process.env).filter(([key]) => key.startsWith('PUBLIC_')));",
  '$app/environment':
    "export const browser = false; export const dev = true; export const building = false; export const version = 'test';",
};

function sveltekitModules(): Plugin {
  return {
    name: 'reeltime:sveltekit-modules-for-tests',
    resolveId: (id) => (id in VIRTUAL ? `\0${id}` : null),
    load: (id) => (id.startsWith('\0') ? VIRTUAL[id.slice(1)] : null),
  };
}

export default defineProject({
  plugins: [svelte({ configFile: here('./svelte.config.js') }), sveltekitModules()],
  resolve: { alias: [{ find: /^\$lib(?=\/|$)/, replacement: here('./src/lib') }] },
  test: {
    name: 'web',
    root: here('.'),
    include: ['src/**/*.test.ts'],
    environment: 'node',
    // The session's warnings (a refresh that could not reach the API) are expected in these tests.
    env: { LOG_LEVEL: process.env.LOG_LEVEL ?? 'silent' },
    testTimeout: 30_000,
  },
});
