/* Waiting for the page in the browser tests. */
import type { Page } from 'playwright-core';
import { expect } from 'vitest';

/** Waits until `check` passes (Playwright's own `expect` is not part of playwright-core). */
export const eventually = (check: () => Promise<unknown>, timeout = 10_000) => expect.poll(check, { timeout, interval: 100 });

/**
 * Waits until the page has hydrated: the footer's live-status badge exists only in the browser.
 * Before that, Svelte may set form controls back to what the server rendered.
 */
export async function hydrated(page: Page): Promise<void> {
  await page.getByRole('contentinfo').getByRole('status').waitFor();
}
