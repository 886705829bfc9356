import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { letterboxd, type Film } from '@reeltime/command-api/src/imports/fixtures.testing.ts';
import { chromiumMissing, seriousAxeViolations } from './browser.ts';
import { startWebStack, type WebStack } from './stack.ts';

/*
 * Importing on the "Import & export" page: a generated Letterboxd diary uploaded through the
 * form, its progress followed to the end (live with JavaScript; by the page reloading itself
 * without), the titles then in the diary; a bad file answered beside the field with its line.
 * With SCREENSHOT_DIR set, it also saves a finished import at 375 and 1280 px, light and dark.
 */

const missing = chromiumMissing();
if (missing) console.warn(missing);

const HEAT: Film = { name: 'Heat', year: 1995 };
const ALIEN: Film = { name: 'Alien', year: 1979 };
const SOLARIS: Film = { name: 'Solaris', year: 1972 };
const NOBODY: Film = { name: 'A Film Nobody Made', year: 1950 };

const diary = () =>
  letterboxd.diary([
    { film: HEAT, watched: '2024-05-01', rating: 4.5 },
    { film: ALIEN, watched: '2023-10-31', rating: 3 },
    { film: ALIEN, watched: '2024-10-31', rewatch: true },
    { film: SOLARIS, watched: '2022-01-02' },
    { film: NOBODY, watched: '2021-03-04' },
  ]);

/** Waits for the progress view to say the import is done; else fails with what it does say. */
async function finished(page: Page, web: WebStack): Promise<void> {
  const state = page.locator('#import-progress [role="status"]');
  try {
    await state.filter({ hasText: 'Done:' }).waitFor({ timeout: 40_000 });
  } catch {
    const shown = await page.textContent('#import-progress', { timeout: 1000 }).catch(() => 'no progress view');
    throw new Error(`the import did not finish; the page says: ${shown}\n${web.serverOutput().slice(-3000)}`);
  }
}

async function upload(page: Page, name: string, content: string, source = 'letterboxd') {
  await page.getByLabel('From').selectOption(source);
  await page.getByLabel('File', { exact: true }).setInputFiles({ name, mimeType: 'text/csv', buffer: Buffer.from(content) });
  await page.getByRole('button', { name: 'Import' }).click();
}

describe.skipIf(missing !== null)('Importing in a browser', () => {
  let web: WebStack;

  beforeAll(async () => {
    web = await startWebStack({ prefix: 'web_import', catalog: 'none' });
    await web.backend.seedTitle(949, 'Heat', { year: 1995 });
    await web.backend.seedTitle(348, 'Alien', { year: 1979 });
    await web.backend.seedTitle(593, 'Solaris', { year: 1972 });
    // The catalog must be in the read models before anything matches against it.
    const position = await web.backend.seedTitle(2103, 'Solaris', { year: 2002 });
    await web.backend.startQueryApi().then((api) => api.get('/titles/movie:2103', { headers: { 'x-min-position': position } }));
  });
  afterAll(() => web?.close());

  it('given a Letterboxd diary, when it is uploaded, then progress reaches done, the unmatched row says why and the titles are in the diary', async () => {
    const person = await web.register('Importer');
    const { page } = await web.newPage({ person });
    await page.goto(`${web.url}/settings/data`);
    await upload(page, 'diary.csv', diary());
    await page.waitForURL(/\/settings\/data\?import=[0-9a-f-]{36}/);
    const state = page.locator('#import-progress [role="status"]');
    await finished(page, web);
    expect(await state.textContent()).toMatch(/Done: 4 imported, 0 already there, 1 not imported\./);
    expect(await page.locator('.unmatched li').allTextContents()).toEqual([
      expect.stringMatching(/^diary\.csv, line 6 A Film Nobody Made \(1950\): no title with this name and year in the catalog$/),
    ]);
    expect(await seriousAxeViolations(page)).toEqual([]);

    await page.locator('#import-progress').getByRole('link', { name: 'diary', exact: true }).click();
    await page.waitForURL(`${web.url}/me/diary`);
    // The diary's read model may be a moment behind the import's status: look again until then.
    for (let attempt = 0; !(await page.textContent('main'))?.includes('Solaris') && attempt < 20; attempt++) {
      await page.waitForTimeout(500);
      await page.reload();
    }
    const body = await page.textContent('main');
    for (const title of ['Heat', 'Alien', 'Solaris']) expect(body).toContain(title);
  }, 120_000);

  it('given a file with broken quoting, when it is uploaded, then the error names the file and line beside the field', async () => {
    const person = await web.register('Broken');
    const { page } = await web.newPage({ person });
    await page.goto(`${web.url}/settings/data`);
    const broken = 'Date,Name,Year,Letterboxd URI,Rating\n2024-01-01,Alien,1979,x,4\n2024-01-02,"Heat" x,1995,y,3\n';
    await upload(page, 'ratings.csv', broken, '');
    const error = page.locator('#import-file-error');
    await error.waitFor();
    expect(await error.textContent()).toMatch(/^ratings\.csv, line 3: broken quoting/);
    expect(await page.getByLabel('File', { exact: true }).getAttribute('aria-invalid')).toBe('true');
    expect(page.url()).toBe(`${web.url}/settings/data`);

    // A file of another kind is stopped in the browser, before it travels.
    await upload(page, 'notes.txt', 'hello', '');
    expect(await error.textContent()).toBe('notes.txt: choose a .zip, .csv or .json file from Letterboxd, IMDb, Trakt or Reeltime.');
  });

  it('given no JavaScript, when a diary is uploaded, then the progress view reads the status again until done', async () => {
    const person = await web.register('No script');
    const { page } = await web.newPage({ person, javaScriptEnabled: false });
    await page.goto(`${web.url}/settings/data`);
    await upload(page, 'diary.csv', diary());
    await page.waitForURL(/\/settings\/data\?import=[0-9a-f-]{36}#import-progress$/);
    // Chromium with scripts turned off by Playwright still parses <noscript> as if they ran, so
    // the page's own refresh does not happen here: the "Check again" link is the other way.
    const deadline = Date.now() + 40_000;
    const state = page.locator('#import-progress [role="status"]');
    while (!(await state.textContent())?.includes('Done:') && Date.now() < deadline) {
      await page.waitForTimeout(1_000);
      await page.getByRole('link', { name: 'Check again' }).click();
      await page.waitForLoadState();
    }
    await finished(page, web);
    expect(await page.locator('#import-progress dd').allTextContents()).toEqual(['5', '4', '4', '0', '1']);

    // A bad file: the action's answer, rendered by the server.
    await page.goto(`${web.url}/settings/data`);
    await upload(page, 'diary.csv', 'Date,Name,Letterboxd URI\n2024-01-01,Alien,x\n', '');
    expect(await page.locator('#import-file-error').textContent()).toBe('diary.csv, line 1: missing column Year');

    // Checked by the action from the parts before the file's content (the file is passed on
    // unread): the name of a file of another kind, and a file input left empty.
    await upload(page, 'notes.txt', 'hello', '');
    expect(await page.locator('#import-file-error').textContent()).toBe(
      'notes.txt: choose a .zip, .csv or .json file from Letterboxd, IMDb, Trakt or Reeltime.',
    );
    await page.goto(`${web.url}/settings/data`);
    await page.getByRole('button', { name: 'Import' }).click();
    await page.waitForLoadState();
    expect(await page.locator('#import-file-error').textContent()).toBe('Choose the file to import.');
  }, 120_000);

  // Screenshots are for people to look at, not an assertion: only when asked for.
  if (!process.env.SCREENSHOT_DIR) console.log('Import screenshots skipped: set SCREENSHOT_DIR to a folder to save them');
  it.skipIf(!process.env.SCREENSHOT_DIR)(
    'looks right at 375 and 1280 px, light and dark (saved to SCREENSHOT_DIR)',
    async () => {
      const dir = process.env.SCREENSHOT_DIR!;
      mkdirSync(dir, { recursive: true });
      const person = await web.register('Pictured');
      const { page } = await web.newPage({ person });
      await page.goto(`${web.url}/settings/data`);
      await upload(page, 'diary.csv', diary());
      await finished(page, web);
      const progress = page.url();
      for (const colorScheme of ['light', 'dark'] as const) {
        for (const width of [375, 1280]) {
          const { page } = await web.newPage({ person, colorScheme, viewport: { width, height: 900 } });
          await page.goto(progress);
          await page.screenshot({ path: join(dir, `settings-import-${width}-${colorScheme}.png`), fullPage: true });
        }
      }
    },
    180_000,
  );
});
