import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main, type CliIo } from './cli.ts';
import { writeSyntheticMovieLens } from './synthetic.testing.ts';

const root = mkdtempSync(path.join(tmpdir(), 'reeltime-eval-cli-'));
const data = path.join(root, 'ml-synthetic');
afterAll(() => rmSync(root, { recursive: true, force: true }));

async function run(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const io: CliIo = { out: (text) => (out += text), err: (text) => (err += text), progress: false };
  const code = await main(argv, io);
  return { code, out, err };
}

type ModelJson = {
  users: number;
  ndcg: number;
  precision: number;
  recall: number;
  map: number;
  hitRate: number;
  coverage: number;
  invalidRecommendations: number;
};

describe('npm run eval:recs (end to end, the real engine, a generated dataset with three taste groups)', () => {
  beforeAll(() => writeSyntheticMovieLens(data));

  it('--json prints one JSON line in which Reeltime beats popularity', async () => {
    const { code, out, err } = await run('--data', data, '--json');
    expect(err).toBe('');
    expect(code).toBe(0);
    expect(out.trimEnd().split('\n')).toHaveLength(1);
    const report = JSON.parse(out) as {
      dataset: { trainRatings: number; testRatings: number; testUsers: number };
      models: Record<string, ModelJson>;
    };
    expect(report.dataset).toMatchObject({ trainRatings: 270, testRatings: 90, testUsers: 30 });
    const { reeltime, 'reeltime-no-mmr': noMmr, popularity } = report.models;
    for (const model of [reeltime!, noMmr!, popularity!]) {
      expect(model.users).toBe(30);
      expect(model.invalidRecommendations).toBe(0);
    }
    // Popularity mixes the three groups; a collaborative recommender keeps to the user's own.
    expect(reeltime!.ndcg).toBeGreaterThan(popularity!.ndcg + 0.2);
    expect(reeltime!.recall).toBeGreaterThan(popularity!.recall);
    expect(noMmr!.ndcg).toBeGreaterThan(popularity!.ndcg + 0.2);
  });

  it('prints a table, the JSON line and a summary', async () => {
    const { code, out } = await run('--data', data, '--k', '5');
    expect(code).toBe(0);
    const lines = out.trimEnd().split('\n');
    expect(lines.some((line) => /^model\s+users\s+nDCG@5\s+P@5\s+R@5\s+MAP@5\s+hit@5\s+coverage/.test(line))).toBe(true);
    expect(lines.some((line) => line.startsWith('popularity '))).toBe(true);
    expect(JSON.parse(lines.find((line) => line.startsWith('{'))!)).toMatchObject({ protocol: { k: 5, seed: 42, ratio: 0.75 } });
    expect(lines.at(-1)).toMatch(/^summary: reeltime nDCG@5 \d\.\d{4} \(\+\d+% vs popularity\)/);
  });

  it.each([
    ['no --data', [], /--data DIR is required/],
    ['a missing folder', ['--data', '/nonexistent/movielens'], /data folder not found/],
    ['an unknown option', ['--data', '/tmp', '--bogus'], /bogus/],
    ['a bad --k', ['--data', '/tmp', '--k', 'ten'], /--k must be an integer/],
    ['a bad --ratio', ['--data', '/tmp', '--ratio', '1.5'], /--ratio must be between 0 and 1/],
  ])('exits 2 on %s', async (_name, argv, message) => {
    const { code, err, out } = await run(...argv);
    expect(code).toBe(2);
    expect(err).toMatch(message);
    expect(err).toContain('usage: npm run eval:recs');
    expect(out).toBe('');
  });

  it('exits 2 on a folder with an unknown layout', async () => {
    const other = path.join(root, 'ml-1m');
    mkdirSync(other);
    writeFileSync(path.join(other, 'ratings.dat'), '1::1193::5::978300760\n');
    const { code, err } = await run('--data', other);
    expect(code).toBe(2);
    expect(err).toMatch(/unknown MovieLens layout/);
  });
});
