import { defineConfig } from 'vitest/config';

/*
 * `npm test` runs three projects in one Vitest process:
 * - services: every workspace but web, as before (plain Node, no Vite plugins);
 * - web: the SvelteKit app's unit tests, with its own Vite config (web/vitest.config.ts) so the
 *   Svelte plugin compiles `.svelte.ts` runes and `$lib`/`$app` resolve;
 * - web-e2e: the browser tests (web/e2e/*.e2e.test.ts), which start the real stack, the built
 *   app and Chromium; plain Node, no Vite plugins (they drive a built app, not its sources).
 * `npx vitest run --project web` (or `web-e2e`, `services`) runs one of them.
 */
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'services',
          include: ['**/src/**/*.test.ts', '**/*.test.ts'],
          exclude: ['**/node_modules/**', '**/dist/**', 'web/**'],
          testTimeout: 30_000,
          hookTimeout: 120_000,
        },
      },
      'web/vitest.config.ts',
      {
        test: {
          name: 'web-e2e',
          include: ['web/e2e/**/*.e2e.test.ts'],
          exclude: ['**/node_modules/**'],
          // Builds the web app once per run (when its sources changed) before any browser test.
          globalSetup: ['web/e2e/global-setup.ts'],
          testTimeout: 60_000,
          // A file's beforeAll starts PostgreSQL schemas, the services, the app and Chromium.
          hookTimeout: 180_000,
        },
      },
    ],
  },
});
