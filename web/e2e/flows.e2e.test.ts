import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromiumMissing, seriousAxeViolations } from './browser.ts';
import { startWebStack, type Person, type WebStack } from './stack.ts';
import { eventually, hydrated } from './waiting.ts';

/*
 * What a person does in the browser, against the real stack with the demo catalog: sign up,
 * search with a typo, rate and review, add to a list, log a watch, the same with JavaScript off,
 * a second tab seeing a change live, and axe on every main page.
 */

const missing = chromiumMissing();
if (missing) console.warn(missing);

const MATRIX = '/titles/movie:603';

/**
 * Picks a star rating. The radios are drawn as stars (the inputs themselves are visually
 * hidden), so the native click is dispatched on the input: what a click on its star does, and
 * it works with JavaScript off too.
 */
async function pickStars(page: Page, label: string, { javascript = true } = {}): Promise<void> {
  if (javascript) await hydrated(page);
  const radio = page.getByRole('radio', { name: label, exact: true });
  await radio.dispatchEvent('click');
  expect(await radio.isChecked()).toBe(true);
}

async function textOf(page: Page, selector: string): Promise<string> {
  return (await page.locator(selector).textContent()) ?? '';
}

describe.skipIf(missing !== null)('Reeltime in a browser', () => {
  let web: WebStack;
  beforeAll(async () => {
    web = await startWebStack({ prefix: 'web_flows' });
  });
  afterAll(() => web?.close());

  describe('signing up', () => {
    it('given the sign-up page, when a visitor fills it in and submits, then they are signed in and greeted by name', async () => {
      const { page } = await web.newPage();
      await page.goto(`${web.url}/signup`);

      await page.getByLabel('Display name').fill('Robin');
      await page.getByLabel('Email').fill(`robin-${Date.now()}@example.com`);
      await page.getByLabel('Password').fill('a long password');
      await page.getByRole('button', { name: 'Create account' }).click();

      await page.waitForURL(`${web.url}/`);
      await eventually(() => page.getByRole('heading', { level: 1 }).textContent()).toContain('Robin');
      expect(await page.getByRole('link', { name: /Account \(Robin\)/ }).count()).toBe(1);
    });

    it('given the sign-up page, when the password is too short, then the field says why and the values stay', async () => {
      const { page } = await web.newPage();
      await page.goto(`${web.url}/signup`);

      await page.getByLabel('Display name').fill('Sam');
      await page.getByLabel('Email').fill(`sam-${Date.now()}@example.com`);
      const password = page.getByLabel('Password');
      await password.fill('short');
      // The browser's own check (minlength) would stop the form first: the server's must hold too.
      await password.evaluate((input) => input.removeAttribute('minlength'));
      await page.getByRole('button', { name: 'Create account' }).click();

      await eventually(() => password.getAttribute('aria-invalid')).toBe('true');
      expect(await page.getByLabel('Display name').inputValue()).toBe('Sam');
      const described = (await password.getAttribute('aria-describedby')) ?? '';
      expect(described).toContain('password-error');
      expect((await textOf(page, '#password-error')).length).toBeGreaterThan(0);
    });
  });

  describe('searching', () => {
    it('given the catalog, when someone searches with a typo from the header, then the title they meant is found', async () => {
      const { page } = await web.newPage();
      await page.goto(web.url);

      const search = page.getByRole('searchbox', { name: 'Search films and series' }).first();
      await search.fill('godfater');
      await search.press('Enter');

      await page.waitForURL(/\/titles\?q=godfater/);
      await eventually(() => page.getByRole('link', { name: /The Godfather/ }).count()).toBeGreaterThan(0);
    });
  });

  describe('a title, signed in', () => {
    let person: Person;
    beforeAll(async () => {
      person = await web.register('Ann');
    });

    it('given a title page, when the person picks 4 stars, writes a review and saves, then the page and their ratings show it', async () => {
      const { page } = await web.newPage({ person });
      await page.goto(`${web.url}${MATRIX}`);
      await eventually(() => page.getByRole('heading', { level: 1 }).textContent()).toContain('The Matrix');

      await pickStars(page, '4 out of 5 stars');
      await page.getByLabel(/Review/).fill('Still holds up.');
      await page.getByRole('button', { name: /^Save/ }).click();

      await eventually(() => textOf(page, '.your-rating [aria-live]')).toContain('You rated it');
      await page.goto(`${web.url}/me/ratings`);
      await eventually(() => page.getByRole('link', { name: /The Matrix/ }).count()).toBeGreaterThan(0);
      expect(await page.content()).toContain('Still holds up.');
    });

    it('given a title page, when the person adds it to their watchlist, then the list shows it', async () => {
      const { page } = await web.newPage({ person });
      await page.goto(`${web.url}${MATRIX}`);

      const section = page.getByRole('region', { name: 'Add to a list' });
      await section.getByRole('button', { name: 'Add to list' }).click();
      await eventually(() => section.getByRole('button', { name: /Remove/ }).count()).toBeGreaterThan(0);

      await page.goto(`${web.url}/me/lists`);
      await page
        .getByRole('link', { name: /Watchlist/i })
        .first()
        .click();
      await eventually(() => page.getByRole('link', { name: /The Matrix/ }).count()).toBeGreaterThan(0);
    });

    it('given a title page, when the person logs a watch for today, then their diary has it', async () => {
      const { page } = await web.newPage({ person });
      await page.goto(`${web.url}${MATRIX}`);

      await page.getByRole('region', { name: 'Log a watch' }).getByRole('button', { name: 'Log watch' }).click();
      await eventually(() => page.getByRole('region', { name: 'Log a watch' }).textContent()).toMatch(/Logged|logged|diary/i);

      await page.goto(`${web.url}/me/diary`);
      await eventually(() => page.getByRole('link', { name: /The Matrix/ }).count()).toBeGreaterThan(0);
    });
  });

  describe('lists by keyboard', () => {
    it('given a watchlist of two titles, when the owner moves the second up with the keyboard, then the new order is shown and kept', async () => {
      const person = await web.register('Keys');
      const { page } = await web.newPage({ person });
      for (const title of ['/titles/movie:13', '/titles/movie:278']) {
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
      const order = async () => (await titles.allTextContents()).map((text) => (/Forrest Gump|Shawshank/.exec(text) ?? ['?'])[0]);
      await eventually(order).toHaveLength(2);
      const [first, second] = await order();

      const moveUp = page.getByRole('button', { name: new RegExp(`Move .*${second}.* up`) });
      await hydrated(page);
      await moveUp.focus();
      // The page shows the move at once and sends it behind the scenes: reload only once it is saved.
      const saved = page.waitForResponse((response) => response.request().method() === 'POST' && response.url().includes('/move'));
      await page.keyboard.press('Enter');

      await eventually(order).toEqual([second, first]);
      // The keyboard stays with the moved title (its Up is now disabled, so on its Down).
      await eventually(() => page.evaluate("document.activeElement?.getAttribute('aria-label') ?? ''")).toMatch(
        new RegExp(`Move .*${second}.* down`),
      );
      expect((await saved).ok()).toBe(true);
      await page.reload();
      await eventually(order).toEqual([second, first]);
    });
  });

  describe('the feed and recommendations', () => {
    it('given a visitor on the home page, when someone rates a title, then the public feed shows it', async () => {
      const rater = await web.register('Feedie');
      const { page: raterPage } = await web.newPage({ person: rater });
      await raterPage.goto(`${web.url}/titles/movie:155`);
      await pickStars(raterPage, '4.5 out of 5 stars');
      await raterPage.getByRole('button', { name: /^Save/ }).click();
      await eventually(() => textOf(raterPage, '.your-rating [aria-live]')).toContain('You rated it');

      const { page } = await web.newPage();
      await page.goto(web.url);
      const feed = page.getByRole('region', { name: /Happening now/ });
      await eventually(() => feed.textContent()).toMatch(/Feedie\s+rated\s+The Dark Knight/);
    });

    it('given a new person, when they rate titles they love, then their picks change from merely popular to ones chosen because of what they liked', async () => {
      const person = await web.register('Picky');
      const { page } = await web.newPage({ person });
      await page.goto(web.url);
      const picks = page.getByRole('region', { name: 'Recommended for you' });
      // Each pick shows its leading reason. Wording is the recommendations projection's, so the
      // test compares reasons instead of spelling them: a newcomer's picks carry the cold-start
      // ones (trending, popular); after rating, some pick carries a reason of their own.
      const reasons = () => picks.locator('.note').allTextContents();
      const coldStart = new Set(await reasons());
      expect(coldStart.size).toBeGreaterThan(0);

      for (const title of ['movie:603', 'movie:27205', 'movie:157336']) {
        await page.goto(`${web.url}/titles/${title}`);
        await pickStars(page, '5 out of 5 stars');
        await page.getByRole('button', { name: /^Save/ }).click();
        await eventually(() => textOf(page, '.your-rating [aria-live]')).toContain('You rated it');
      }

      await page.goto(web.url);
      await eventually(async () => {
        await page.reload();
        return (await reasons()).some((reason) => !coldStart.has(reason));
      }, 20_000).toBe(true);
      expect(await picks.getByRole('link').count()).toBeGreaterThan(0);
    });
  });

  describe('with JavaScript disabled', () => {
    it('given no JavaScript, when a visitor signs up, searches, rates a title, adds it to the watchlist and logs a watch, then every step works through plain forms', async () => {
      const { page } = await web.newPage({ javaScriptEnabled: false });
      await page.goto(`${web.url}/signup`);
      await page.getByLabel('Display name').fill('Plain');
      await page.getByLabel('Email').fill(`plain-${Date.now()}@example.com`);
      await page.getByLabel('Password').fill('a long password');
      await page.getByRole('button', { name: 'Create account' }).click();
      await page.waitForURL(`${web.url}/`);
      expect(await page.getByRole('link', { name: /Account \(Plain\)/ }).count()).toBe(1);

      const search = page.getByRole('searchbox', { name: 'Search films and series' }).first();
      await search.fill('fight club');
      await search.press('Enter');
      await page.waitForURL(/\/titles\?q=fight/);
      await page
        .getByRole('link', { name: /Fight Club/ })
        .first()
        .click();
      await page.waitForURL(/\/titles\/movie:550/);

      await pickStars(page, '3.5 out of 5 stars', { javascript: false });
      await page.getByRole('button', { name: /^Save/ }).click();
      await page.waitForLoadState('load');
      expect(await textOf(page, '.your-rating [aria-live]')).toContain('You rated it');
      expect(await page.getByRole('radio', { name: '3.5 out of 5 stars', exact: true }).isChecked()).toBe(true);

      await page.getByRole('region', { name: 'Add to a list' }).getByRole('button', { name: 'Add to list' }).click();
      await page.waitForLoadState('load');
      expect(
        await page
          .getByRole('region', { name: 'Add to a list' })
          .getByRole('button', { name: /Remove/ })
          .count(),
      ).toBeGreaterThan(0);

      await page.getByRole('region', { name: 'Log a watch' }).getByRole('button', { name: 'Log watch' }).click();
      await page.waitForLoadState('load');

      await page.goto(`${web.url}/me/diary`);
      expect(await page.getByRole('link', { name: /Fight Club/ }).count()).toBeGreaterThan(0);
      await page.goto(`${web.url}/me/lists`);
      await page
        .getByRole('link', { name: /Watchlist/i })
        .first()
        .click();
      await page.waitForLoadState('load');
      expect(await page.getByRole('link', { name: /Fight Club/ }).count()).toBeGreaterThan(0);
    });
  });

  describe('live updates', () => {
    it('given a visitor watching a title in one tab, when someone rates it in another, then the first tab shows the new count without a reload', async () => {
      const title = '/titles/movie:680';
      const watcher = await web.newPage();
      await watcher.page.goto(`${web.url}${title}`);
      // The socket is open (and subscribed) before the other tab writes.
      await eventually(() => watcher.page.getByRole('contentinfo').getByRole('status').textContent()).toBe('Live');
      const before = await textOf(watcher.page, '.stats');

      const rater = await web.newPage({ person: await web.register('Rater') });
      await rater.page.goto(`${web.url}${title}`);
      await pickStars(rater.page, '5 out of 5 stars');
      await rater.page.getByRole('button', { name: /^Save/ }).click();

      await eventually(() => textOf(watcher.page, '.stats'), 15_000).not.toBe(before);
      expect(await textOf(watcher.page, '.stats')).toMatch(/\b1 rating(?!s)/);
    });
  });

  describe('accessibility', () => {
    it("given a watchlist with a title and its owner's profile, when axe checks them, then they have no serious or critical violations", async () => {
      const person = await web.register('Lister');
      const { page } = await web.newPage({ person });
      await page.goto(`${web.url}${MATRIX}`);
      const section = page.getByRole('region', { name: 'Add to a list' });
      await section.getByRole('button', { name: 'Add to list' }).click();
      await eventually(() => section.getByRole('button', { name: /Remove/ }).count()).toBeGreaterThan(0);
      await page.goto(`${web.url}/me/lists`);
      await page
        .getByRole('link', { name: /Watchlist/i })
        .first()
        .click();
      await page.waitForURL(/\/lists\//);
      await eventually(() => page.getByRole('link', { name: /The Matrix/ }).count()).toBeGreaterThan(0);
      expect(await seriousAxeViolations(page)).toEqual([]);

      const response = await page.goto(`${web.url}/users/${person.userId}`);
      expect(response?.status()).toBe(200);
      expect(await seriousAxeViolations(page)).toEqual([]);
    });

    const pages = [
      '/',
      '/titles',
      '/titles?q=matrix',
      MATRIX,
      '/signin',
      '/signup',
      '/me/lists',
      '/me/ratings',
      '/me/diary',
      '/me/preferences',
      '/me/account',
    ];

    it.each(pages)('given %s, when axe checks it signed in, then it has no serious or critical violations', async (path) => {
      const person = await web.register('Axe');
      const { page } = await web.newPage({ person });
      const response = await page.goto(`${web.url}${path}`);
      expect(response?.status(), web.serverOutput()).toBe(200);

      expect(await seriousAxeViolations(page)).toEqual([]);
    });
  });
});
