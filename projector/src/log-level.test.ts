import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startChild, type Child } from './testing/child.ts';
import { event, streams, uuid } from './testing/events.ts';
import { createHarness, eventually, type Harness } from './testing/harness.ts';

/** A real projector process at LOG_LEVEL=warn: it projects and stops as usual, and prints no info line (it used to ignore LOG_LEVEL). */
describe('projector LOG_LEVEL', { timeout: 60_000 }, () => {
  let h: Harness;
  let child: Child | undefined;

  beforeAll(async () => {
    h = await createHarness('pj_loglvl');
  });
  afterAll(async () => {
    if (child && child.process.exitCode === null) child.process.kill('SIGKILL');
    await child?.exited;
    await h?.close();
  });

  it('given LOG_LEVEL=warn, when the projector starts, projects and stops, then it logs nothing below warn', async () => {
    const userId = uuid();
    await h.store.appendToStream(streams.rating(userId, 'movie:603'), [
      event('TitleRated', { userId, titleId: 'movie:603', score: 8, containsSpoilers: false }),
    ]);
    child = startChild({ ...h.env, LOG_LEVEL: 'warn' });
    await eventually(async () => {
      const rows = await h.read<{ n: number }>(`SELECT count(*)::int AS n FROM read.ratings`).catch(() => [{ n: 0 }]);
      expect(rows[0]!.n).toBe(1);
    }, 45_000);
    child.process.kill('SIGTERM');
    expect(await child.exited).toBe(0);
    const levels = child.logs.flatMap((line) => {
      try {
        return [(JSON.parse(line) as { level: number }).level];
      } catch {
        return [];
      }
    });
    expect(levels.filter((level) => level < 40)).toEqual([]);
  });
});
