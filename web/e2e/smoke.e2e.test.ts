import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromiumMissing, overflowingElements, seriousAxeViolations } from './browser.ts';
import { startWebStack, type WebStack } from './stack.ts';

const missing = chromiumMissing();
if (missing) console.warn(missing);

describe.skipIf(missing !== null)('the home page in a browser', () => {
  let web: WebStack;
  beforeAll(async () => {
    web = await startWebStack({ prefix: 'web_smoke' });
  });
  afterAll(() => web?.close());

  it('given the running stack, when a visitor opens /, then the page renders with the TMDB attribution in the footer', async () => {
    const { page } = await web.newPage();

    const response = await page.goto(web.url);

    expect(response?.status(), web.serverOutput()).toBe(200);
    await expect.poll(() => page.getByRole('heading', { level: 1 }).count()).toBe(1);
    const footer = page.getByRole('contentinfo');
    // innerText: the text as rendered (the source may wrap a sentence over lines).
    await expect.poll(() => footer.innerText()).toContain('This product uses the TMDB API but is not endorsed or certified by TMDB');
    expect(await footer.getByRole('link', { name: 'TMDB' }).getAttribute('href')).toBe('https://www.themoviedb.org/');
  });

  it('given the home page, when axe checks it, then it reports no serious or critical violations', async () => {
    const { page } = await web.newPage();
    await page.goto(web.url);

    expect(await seriousAxeViolations(page)).toEqual([]);
  });

  it('given the home page in the dark colour scheme on a phone, when axe checks it, then it reports no serious or critical violations', async () => {
    const { page } = await web.newPage({ colorScheme: 'dark', viewport: { width: 375, height: 800 } });
    await page.goto(web.url);

    expect(await seriousAxeViolations(page)).toEqual([]);
    // Nothing sticks out sideways (the page would scroll and the top bar look narrower than it).
    expect(await overflowingElements(page)).toEqual([]);
  });
});
