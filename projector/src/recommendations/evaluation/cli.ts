/*
 * Offline evaluation of the recommendations on MovieLens:
 *   npm run eval:recs -- --data DIR [--k 10] [--seed 42] [--ratio 0.75] [--json]
 * DIR holds ml-latest(-small)/ml-25m/ml-32m (`ratings.csv`, `movies.csv`) or ml-100k (`u.data`,
 * `u.item`). Prints a table, one JSON line and a one-line summary (`--json`: the JSON line only;
 * `npm run -s` keeps npm's banner off stdout). See README.md beside this file.
 * Exit codes: 0 done, 1 failure, 2 bad arguments or a folder that is not a MovieLens dataset.
 */
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { DatasetLayoutError } from './movielens.ts';
import { reeltimeRecommender } from './reeltime.ts';
import { formatJson, formatSummary, formatTable } from './report.ts';
import { evaluate, type Recommender } from './run.ts';

const USAGE = 'usage: npm run eval:recs -- --data DIR [--k 10] [--seed 42] [--ratio 0.75] [--json]';

export type CliIo = {
  out: (text: string) => void;
  err: (text: string) => void;
  /** Whether to show stages as they start (a terminal on stderr). */
  progress: boolean;
};

const processIo: CliIo = {
  out: (text) => process.stdout.write(text),
  err: (text) => process.stderr.write(text),
  progress: process.stderr.isTTY === true,
};

function integer(name: string, text: string, min: number, max: number): number {
  const value = Number(text);
  if (!Number.isInteger(value) || value < min || value > max)
    throw new UsageError(`--${name} must be an integer in ${min}..${max}, got ${JSON.stringify(text)}`);
  return value;
}

class UsageError extends Error {}

/** Runs the CLI; resolves to the exit code. */
export async function main(
  argv: readonly string[],
  io: CliIo = processIo,
  recommender: () => Recommender = reeltimeRecommender,
): Promise<number> {
  let options: { data: string; k: number; seed: number; ratio: number; json: boolean };
  try {
    const { values } = parseArgs({
      args: [...argv],
      options: {
        data: { type: 'string' },
        k: { type: 'string', default: '10' },
        seed: { type: 'string', default: '42' },
        ratio: { type: 'string', default: '0.75' },
        json: { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h', default: false },
      },
      strict: true,
      allowPositionals: false,
    });
    if (values.help) {
      io.out(`${USAGE}\n`);
      return 0;
    }
    if (values.data === undefined || values.data === '') throw new UsageError('--data DIR is required');
    const ratio = Number(values.ratio);
    if (!(ratio > 0 && ratio < 1)) throw new UsageError(`--ratio must be between 0 and 1 (exclusive), got ${JSON.stringify(values.ratio)}`);
    options = {
      data: values.data,
      k: integer('k', values.k, 1, 1000),
      seed: integer('seed', values.seed, 0, 0xffffffff),
      ratio,
      json: values.json,
    };
  } catch (error) {
    // parseArgs reports unknown options and missing values with a TypeError of its own.
    io.err(`${error instanceof Error ? error.message : String(error)}\n${USAGE}\n`);
    return 2;
  }

  try {
    const report = await evaluate({
      ...options,
      recommender,
      onStage: io.progress ? (stage) => io.err(`… ${stage}\n`) : undefined,
    });
    if (options.json) {
      io.out(`${formatJson(report)}\n`);
    } else {
      io.out(`${formatTable(report)}\n\n${formatJson(report)}\n\n${formatSummary(report)}\n`);
    }
    return 0;
  } catch (error) {
    if (error instanceof DatasetLayoutError) {
      io.err(`${error.message}\n${USAGE}\n`);
      return 2;
    }
    io.err(`evaluation failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    return 1;
  }
}

// Run only as the entry point (tsx cli.ts), not when a test imports `main`.
if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  process.exitCode = await main(process.argv.slice(2));
}
