import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ProjectorMetrics } from '../observability/metrics.ts';
import { LivePublisher } from '../runner/live.ts';
import { rebuild } from '../replay/rebuild.ts';
import { startProjector, type ProjectorService } from '../service.ts';
import { event, streams, titleImported, uuid } from '../testing/events.ts';
import { createHarness, eventually, type Harness } from '../testing/harness.ts';
import { recommendationsProjection } from './projection.ts';
import type { Projection } from '../model/projection.ts';
import { catalogProjection } from '../catalog/projection.ts';

type Row = {
  user_id: string;
  rank: number;
  title_id: string;
  media_type: string;
  score: number;
  reasons: { kind: string; text: string; titleId?: string }[];
};

const HORROR = 27 as const;
const SCIENCE_FICTION = 878 as const;
const COMEDY = 35 as const;

/**
 * The projection end to end on the real store, Postgres and runner: two taste groups
 * (science fiction fans, comedy fans) rate titles of their kind, so the item model learns
 * which titles go together.
 */
describe('recommendations projection', () => {
  let h: Harness;
  let service: ProjectorService | undefined;
  const projections = [catalogProjection as Projection, recommendationsProjection as Projection];
  const scifi = Array.from({ length: 8 }, (_, i) => `movie:${700 + i}`);
  const comedy = Array.from({ length: 8 }, (_, i) => `movie:${800 + i}`);
  const fans = Array.from({ length: 20 }, () => uuid());

  beforeAll(async () => {
    // Refit as soon as anything changed, so the test does not wait ten minutes.
    h = await createHarness('pj_recs', { RECOMMENDATIONS_REFIT_MS: '0' });
    h.settings.recommendations.refitShare = 0;
    for (const [i, titleId] of scifi.entries()) {
      await h.store.appendToStream(streams.title(titleId), [
        event('TitleImported', titleImported(700 + i, `Star ${i}`, { genreIds: [SCIENCE_FICTION], popularity: 5 })),
      ]);
    }
    for (const [i, titleId] of comedy.entries()) {
      const genreIds = i === 7 ? [COMEDY, HORROR] : [COMEDY];
      await h.store.appendToStream(streams.title(titleId), [
        event('TitleImported', titleImported(800 + i, `Laugh ${i}`, { genreIds, popularity: 50 })),
      ]);
    }
    for (const [u, userId] of fans.entries()) {
      const titles = u % 2 === 0 ? scifi : comedy;
      // Each fan rates six of the eight titles of their kind, a different six each.
      for (let k = 0; k < 6; k++) {
        const titleId = titles[(u + k) % titles.length]!;
        await h.store.appendToStream(streams.rating(userId, titleId), [
          event('TitleRated', { userId, titleId, score: 8, containsSpoilers: false }),
        ]);
      }
    }
    service = await startProjector(h.settings, projections, h.log);
  });
  afterAll(async () => {
    await service?.stop();
    await h?.close();
  });

  const rowsOf = (userId: string) => h.read<Row>('SELECT * FROM read.recommendations WHERE user_id = $1 ORDER BY rank', [userId]);

  it('recommends a fan the unseen titles of their kind first, with reasons, never what they rated', async () => {
    const fan = fans[0]!;
    // The first fit may have seen only the first events: wait for the refit on all of them.
    await eventually(async () => expect((await rowsOf(fan))[0]?.reasons[0]?.kind).toBe('similar'), 30_000);
    const rows = await rowsOf(fan);
    const rated = new Set(Array.from({ length: 6 }, (_, k) => scifi[k % scifi.length]!));
    expect(rows.filter((row) => rated.has(row.title_id))).toEqual([]);
    const unseen = scifi.filter((id) => !rated.has(id));
    expect(
      rows
        .slice(0, 2)
        .map((row) => row.title_id)
        .sort(),
    ).toEqual(unseen.sort());
    for (const row of rows) {
      expect(row.reasons.length).toBeGreaterThanOrEqual(1);
      expect(row.reasons.length).toBeLessThanOrEqual(3);
    }
    expect(rows[0]!.reasons[0]).toMatchObject({ kind: 'similar', text: expect.stringMatching(/^Because you rated Star \d 8\/10$/) });
  });

  it('answers people with no history from the cold-start list, each title with its reason', async () => {
    await eventually(async () => expect((await rowsOf('*')).length).toBeGreaterThan(5));
    const rows = await rowsOf('*');
    expect(rows.every((row) => row.reasons.length > 0 && ['popular', 'trending'].includes(row.reasons[0]!.kind))).toBe(true);
  });

  it('gives someone with stated preferences only their liked genre at once, and never a disliked one', async () => {
    const newcomer = uuid();
    await h.store.appendToStream(streams.preferences(newcomer), [
      event('GenreLiked', { userId: newcomer, genreId: COMEDY }),
      event('GenreDisliked', { userId: newcomer, genreId: HORROR }),
    ]);
    await eventually(async () => expect((await rowsOf(newcomer)).length).toBeGreaterThan(3));
    const rows = await rowsOf(newcomer);
    expect(rows[0]!.title_id).toMatch(/^movie:80[0-6]$/);
    expect(rows.map((row) => row.title_id)).not.toContain(comedy[7]);
    expect(rows[0]!.reasons.map((reason) => reason.text)).toContain('You like Comedy');
  });

  it('re-scores a user within a second of a rating and announces it on their `me` channel', async () => {
    const fan = fans[1]!;
    await eventually(async () => expect((await rowsOf(fan)).length).toBeGreaterThan(2));
    const before = await rowsOf(fan);
    const next = before[0]!.title_id;
    const started = Date.now();
    await h.store.appendToStream(streams.rating(fan, next), [
      event('TitleRated', { userId: fan, titleId: next, score: 9, containsSpoilers: false }),
    ]);
    await eventually(async () => expect((await rowsOf(fan)).map((row) => row.title_id)).not.toContain(next), 5000);
    expect(Date.now() - started).toBeLessThan(1500);
    await eventually(async () => {
      const notices = await h.read<{ data: { type: string; titleIds: string[] } }>(
        `SELECT data FROM ${h.settings.coreSchema}.live_updates WHERE channel = $1 AND projection = 'recommendations'`,
        [`me.${fan}`],
      );
      expect(notices.some((notice) => notice.data.type === 'recommendations.changed' && !notice.data.titleIds.includes(next))).toBe(true);
    });
  });

  it('shows a renamed title by its new name in the reasons of everyone whose list names it', async () => {
    const fan = fans[0]!;
    await eventually(async () => expect((await rowsOf(fan))[0]?.reasons[0]?.kind).toBe('similar'), 30_000);
    const renamed = (await rowsOf(fan))[0]!.reasons[0]!.titleId!;
    const mentions = async () =>
      (await h.read<Row>('SELECT reasons FROM read.recommendations')).flatMap((row) => row.reasons).filter((r) => r.titleId === renamed);
    expect((await mentions()).every((reason) => /^Because you rated Star \d \d+\/10$/.test(reason.text))).toBe(true);
    await h.store.appendToStream(streams.title(renamed), [event('TitleUpdated', { titleId: renamed, changes: { title: 'Renamed Star' } })]);
    await eventually(async () => {
      const after = await mentions();
      expect(after.length).toBeGreaterThan(0);
      expect(after.map((reason) => reason.text)).toEqual(
        after.map(() => expect.stringMatching(/^Because you rated Renamed Star \d+\/10$/)),
      );
    }, 10_000);
  });

  it('rebuilt from zero, gives the same recommendations as the live-updated projection', async () => {
    // Let the live projection refit on everything and finish its sweep.
    const answer = () => h.read<Row>('SELECT user_id, rank, title_id, score, reasons FROM read.recommendations ORDER BY user_id, rank');
    let settled: Row[] = [];
    await eventually(async () => {
      const first = await answer();
      // Longer than a refit takes on a busy machine (a fresh worker thread loads the model code):
      // the last rating's refit re-scores the cold-start list too, whose trending order it moved.
      await new Promise((resolve) => setTimeout(resolve, 4000));
      settled = await answer();
      expect(settled).toEqual(first);
    }, 30_000);
    const live = new LivePublisher(h.settings.natsUrl, h.settings.subjectPrefix, h.log);
    const results = await rebuild({
      projections: [recommendationsProjection as Projection],
      pool: h.pool,
      store: h.store,
      settings: h.settings,
      live,
      metrics: new ProjectorMetrics(false),
      log: h.log,
    });
    await live.close();
    expect(results.map((result) => result.outcome)).toEqual(['swapped']);
    expect(await answer()).toEqual(settled);
  });
});
