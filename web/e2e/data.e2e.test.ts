import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { strFromU8, unzipSync } from 'fflate';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromiumMissing, overflowingElements, seriousAxeViolations } from './browser.ts';
import { startWebStack, type Person, type WebStack } from './stack.ts';

/*
 * The "Import & export" page: reached from the account page, both downloads through the web
 * server (the session cookie, never a token, in the browser), a visitor sent to sign in.
 * With SCREENSHOT_DIR set, it also saves the page at 375 and 1280 px, light and dark.
 */

const missing = chromiumMissing();
if (missing) console.warn(missing);

async function download(page: Page, button: string): Promise<{ name: string; bytes: Buffer }> {
  const [file] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: button }).click()]);
  const path = await file.path();
  return { name: file.suggestedFilename(), bytes: readFileSync(path) };
}

describe.skipIf(missing !== null)('Import & export in a browser', () => {
  let web: WebStack;
  let person: Person;

  beforeAll(async () => {
    web = await startWebStack({ prefix: 'web_data', catalog: 'none' });
    await web.backend.seedTitle(949, 'Heat', { year: 1995, imdbId: 'tt0113277' });
    await web.backend.seedTitle(1396, 'Breaking Bad', { titleId: 'tv:1396', mediaType: 'tv', year: 2008 });
    person = await web.register('Mover');
    const as = { token: person.accessToken };
    await web.backend.command('PUT', '/ratings/movie:949', { ...as, body: { score: 9, review: '=not a formula' } });
    await web.backend.command('PUT', '/ratings/tv:1396', { ...as, body: { score: 10 } });
    const list = await web.backend.command('POST', '/lists', { ...as, body: { name: 'Heists' } });
    await web.backend.command('POST', `/lists/${list.body.listId}/items`, { ...as, body: { titleId: 'movie:949', note: 'the best' } });
    // The downloads read the read models as they are: wait until the last change is in them.
    const position = (await web.backend.command('POST', '/diary', { ...as, body: { titleId: 'movie:949', watchedOn: '2024-05-01' } })).body
      .position;
    await web.backend
      .startQueryApi()
      .then((api) => api.get('/me/lists', { token: person.accessToken, headers: { 'x-min-position': position } }));
  });
  afterAll(() => web?.close());

  it('given a signed-in person, when they open Import & export from their account and download both, then they get all of their data', async () => {
    const { page } = await web.newPage({ person });
    await page.goto(`${web.url}/me/account`);
    await page.getByRole('link', { name: 'Import & export' }).click();
    await page.waitForURL(`${web.url}/settings/data`);
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Import & export');

    const json = await download(page, 'Download JSON');
    expect(json.name).toMatch(/^reeltime-export-\d{4}-\d{2}-\d{2}\.json$/);
    const doc = JSON.parse(json.bytes.toString('utf8'));
    expect(doc.profile.displayName).toBe('Mover');
    expect(doc.ratings.map((r: { titleId: string; score: number }) => [r.titleId, r.score]).sort()).toEqual([
      ['movie:949', 9],
      ['tv:1396', 10],
    ]);
    expect(doc.lists.find((l: { name: string }) => l.name === 'Heists').items[0]).toMatchObject({ titleId: 'movie:949', note: 'the best' });
    expect(doc.diary).toEqual([expect.objectContaining({ titleId: 'movie:949', watchedOn: '2024-05-01' })]);

    const zip = await download(page, 'Download for Letterboxd');
    expect(zip.name).toMatch(/^reeltime-export-\d{4}-\d{2}-\d{2}\.zip$/);
    const files = Object.fromEntries(Object.entries(unzipSync(zip.bytes)).map(([name, data]) => [name, strFromU8(data)]));
    expect(files['ratings.csv']).toMatch(
      /^Date,Name,Year,Letterboxd URI,Rating,tmdbID,imdbID\n\d{4}-\d{2}-\d{2},Heat,1995,,4.5,949,tt0113277\n$/,
    );
    expect(files['reviews.csv']).toContain(",'=not a formula,");
    expect(files['lists/heists.csv']).toContain('1,Heat,1995,,the best,949,tt0113277');
    expect(files['README.txt']).toContain('- 1 TV ratings (ratings.csv)');

    expect(await seriousAxeViolations(page)).toEqual([]);
  });

  it('given a visitor, when they ask for an export, then they are sent to sign in and get nothing', async () => {
    const { context } = await web.newPage();
    const answer = await context.request.get(`${web.url}/settings/data/export?format=json`, { maxRedirects: 0 });
    expect(answer.status()).toBe(303);
    expect(answer.headers().location).toBe('/signin?redirectTo=%2Fsettings%2Fdata');
  });

  it('given an unknown format, then the page says so (400) instead of downloading', async () => {
    const { page } = await web.newPage({ person });
    const answer = await page.goto(`${web.url}/settings/data/export?format=csv`);
    expect(answer?.status()).toBe(400);
    expect(await page.textContent('body')).toContain('Unknown export format');
  });

  it('given a phone 375 px wide, when the page opens, then nothing sticks out sideways', async () => {
    const { page } = await web.newPage({ person, viewport: { width: 375, height: 800 } });
    await page.goto(`${web.url}/settings/data`);
    expect(await overflowingElements(page)).toEqual([]);
  });

  // Screenshots are for people to look at, not an assertion: only when asked for.
  if (!process.env.SCREENSHOT_DIR) console.log('Import & export screenshots skipped: set SCREENSHOT_DIR to a folder to save them');
  it.skipIf(!process.env.SCREENSHOT_DIR)('looks right at 375 and 1280 px, light and dark (saved to SCREENSHOT_DIR)', async () => {
    const dir = process.env.SCREENSHOT_DIR!;
    mkdirSync(dir, { recursive: true });
    for (const colorScheme of ['light', 'dark'] as const) {
      for (const width of [375, 1280]) {
        const { page } = await web.newPage({ person, colorScheme, viewport: { width, height: 900 } });
        await page.goto(`${web.url}/settings/data`);
        await page.screenshot({ path: join(dir, `settings-data-${width}-${colorScheme}.png`), fullPage: true });
      }
    }
  });
});
