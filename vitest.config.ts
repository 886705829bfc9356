import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['**/src/**/*.test.ts', '**/*.test.ts'],
    exclude: ['**/node_modules/**', '**/dist/**', 'web/**'],
    testTimeout: 30_000,
    hookTimeout: 120_000,
  },
});
