import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromiumMissing } from './browser.ts';
import { startWebStack, type WebStack } from './stack.ts';
import { eventually, hydrated } from './waiting.ts';

/*
 * A watchlist's owner reordering it with the pointer (dragging a title by its handle) and
 * removing a title, against the real stack; the keyboard moves are in flows.e2e.test.ts.
 */

const missing = chromiumMissing();
if (missing) console.warn(missing);

const TITLES = ['/titles/movie:13', '/titles/movie:278', '/titles/movie:603'];
const NAMES = /Forrest Gump|Shawshank|The Matrix/;

describe.skipIf(missing !== null)('editing a list in a browser', () => {
  let web: WebStack;
  beforeAll(async () => {
    web = await startWebStack({ prefix: 'web_lists' });
  });
  afterAll(() => web?.close());

  /** A new person's watchlist of the three titles, open in a page. */
  async function watchlistOfThree(name: string): Promise<{ page: Page; order: () => Promise<string[]> }> {
    const { page } = await web.newPage({ person: await web.register(name) });
    for (const title of TITLES) {
      await page.goto(`${web.url}${title}`);
      const section = page.getByRole('region', { name: 'Add to a list' });
      await section.getByRole('button', { name: 'Add to list' }).click();
      await eventually(() => section.getByRole('button', { name: /Remove/ }).count()).toBeGreaterThan(0);
    }
    await page.goto(`${web.url}/me/lists`);
    await page
      .getByRole('link', { name: /Watchlist/i })
      .first()
      .click();
    const titles = page.getByRole('region', { name: 'Titles' }).getByRole('listitem');
    const order = async () => (await titles.allTextContents()).map((text) => (NAMES.exec(text) ?? ['?'])[0]);
    await eventually(order).toHaveLength(3);
    await hydrated(page);
    return { page, order };
  }

  const saved = (page: Page, action: string) =>
    page.waitForResponse((response) => response.request().method() === 'POST' && response.url().includes(`/${action}`));

  it('given a watchlist of three titles, when the owner drags the last one above the first by its handle, then the new order is shown and kept', async () => {
    const { page, order } = await watchlistOfThree('Dragger');
    const [first, second, third] = await order();
    const rows = page.getByRole('region', { name: 'Titles' }).getByRole('listitem');
    const handle = (await rows.nth(2).getByTitle('Drag to reorder').boundingBox())!;
    const top = (await rows.nth(0).boundingBox())!;

    const moved = saved(page, 'move');
    await page.mouse.move(handle.x + handle.width / 2, handle.y + handle.height / 2);
    await page.mouse.down();
    await page.mouse.move(handle.x + handle.width / 2, top.y + 5, { steps: 12 });
    await page.mouse.up();

    await eventually(order).toEqual([third, first, second]);
    expect((await moved).ok()).toBe(true);
    await page.reload();
    await eventually(order).toEqual([third, first, second]);
  });

  it('given a drag under way, when the owner presses Escape, then the title goes back and nothing is sent', async () => {
    const { page, order } = await watchlistOfThree('Changer');
    const before = await order();
    const rows = page.getByRole('region', { name: 'Titles' }).getByRole('listitem');
    const handle = (await rows.nth(0).getByTitle('Drag to reorder').boundingBox())!;
    const bottom = (await rows.nth(2).boundingBox())!;
    const posts: string[] = [];
    page.on('request', (request) => {
      if (request.method() === 'POST') posts.push(request.url());
    });

    await page.mouse.move(handle.x + handle.width / 2, handle.y + handle.height / 2);
    await page.mouse.down();
    await page.mouse.move(handle.x + handle.width / 2, bottom.y + bottom.height - 5, { steps: 12 });
    await eventually(order).not.toEqual(before);
    await page.keyboard.press('Escape');
    await page.mouse.up();

    await eventually(order).toEqual(before);
    expect(posts).toEqual([]);
  });

  it('given a watchlist of three titles, when the owner removes the middle one, then it is gone, the keyboard is on the next Remove, and it stays gone', async () => {
    const { page, order } = await watchlistOfThree('Remover');
    const [first, second, third] = await order();

    const removed = saved(page, 'removeItem');
    await page.getByRole('button', { name: new RegExp(`Remove .*${second}.* from the list`) }).click();

    await eventually(order).toEqual([first, third]);
    await eventually(() => page.evaluate("document.activeElement?.getAttribute('aria-label') ?? ''")).toMatch(
      new RegExp(`Remove .*${third}.* from the list`),
    );
    expect((await removed).ok()).toBe(true);
    await page.reload();
    await eventually(order).toEqual([first, third]);
  });
});
