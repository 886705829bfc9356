/*
 * One ingest run with a progress bar:
 *
 *   npm run ingest -- [--source tmdb|demo|movielens] [--pages N] [--path DIR] [--rate N] [--concurrency N] [--catalog-only]
 *   npm run ingest -- --renormalize
 *
 * tmdb (default) needs TMDB_READ_ACCESS_TOKEN or TMDB_API_KEY; demo serves ingest/demo/ as a
 * local TMDb and then seeds the demo community (once per database; --catalog-only skips it);
 * movielens reads movies.csv and links.csv from --path. A run stopped with Ctrl-C (or killed)
 * is resumed by the next run of the same source. --renormalize derives the catalog events again
 * from the TMDb responses stored by earlier syncs (after a mapping change), without calling TMDb.
 */
import { parseArgs } from 'node:util';
import cliProgress from 'cli-progress';
import { createLogger } from './log.ts';
import { importMovieLens } from './offline/movielens.ts';
import { renormalizeCatalog } from './payloads/renormalize.ts';
import { openServices } from './services.ts';
import { ingestSettings } from './settings.ts';
import { argumentsOrExit, settingsOrExit, startedOrExit } from '@reeltime/platform/config';
import { DEMO_ACCOUNT_EMAIL, DEMO_ACCOUNT_PASSWORD } from './community/credentials.ts';
import { seedDemoCommunity, syncDemo, syncTmdb } from './sources.ts';
import type { SyncProgress } from './sync/sync-run.ts';

const count = (name: string, value: string | undefined, minimum: number): number | undefined => {
  if (value === undefined) return undefined;
  const number = Number(value);
  if (!Number.isInteger(number) || number < minimum) throw new Error(`--${name} must be an integer >= ${minimum}, not "${value}"`);
  return number;
};

// A bad command line is a message and exit code 2, as a bad variable is: no stack trace.
const args = argumentsOrExit('npm run ingest', () => {
  const { values } = parseArgs({
    options: {
      source: { type: 'string' },
      pages: { type: 'string' },
      path: { type: 'string' },
      rate: { type: 'string' },
      concurrency: { type: 'string' },
      'catalog-only': { type: 'boolean', default: false },
      renormalize: { type: 'boolean', default: false },
    },
  });
  if (values.renormalize) {
    const others = Object.entries(values).filter(([name, value]) => name !== 'renormalize' && value !== undefined && value !== false);
    if (others.length > 0)
      throw new Error(`--renormalize reads only the stored TMDb responses: drop ${others.map(([name]) => `--${name}`).join(', ')}`);
  }
  const source = values.source ?? 'tmdb';
  if (!['tmdb', 'demo', 'movielens'].includes(source)) throw new Error(`--source must be tmdb, demo or movielens, not "${source}"`);
  if (source === 'movielens' && !values.path)
    throw new Error('--source movielens needs --path DIR (the folder with movies.csv and links.csv)');
  return {
    ...values,
    source,
    pages: count('pages', values.pages, 0),
    rate: count('rate', values.rate, 0),
    concurrency: count('concurrency', values.concurrency, 1),
  };
});
const source = args.source;

const settings = settingsOrExit(() => ingestSettings(process.env, { cli: true }));
const log = createLogger(settings.logLevel, process.stderr);
const pages = args.pages ?? settings.pages;
settings.requestsPerSecond = args.rate ?? settings.requestsPerSecond;
settings.concurrency = args.concurrency ?? settings.concurrency;
if (source === 'tmdb' && !args.renormalize && !settings.credential) {
  console.error('No TMDb credential: set TMDB_READ_ACCESS_TOKEN (or TMDB_API_KEY), or run with --source demo.');
  process.exit(2);
}

const bar = new cliProgress.SingleBar(
  {
    format: '{phase} |{bar}| {value}/{total} titles | {rate} titles/s | ETA {eta_formatted} | failed {failed}',
    hideCursor: true,
    etaBuffer: 200,
  },
  cliProgress.Presets.shades_classic,
);
const started = performance.now();
let barStarted = false;
const show = (phase: string, done: number, total: number, failed: number) => {
  const payload = { phase: phase.padEnd(11), rate: (done / Math.max(0.001, (performance.now() - started) / 1000)).toFixed(1), failed };
  if (!barStarted) {
    bar.start(total, done, payload);
    barStarted = true;
  } else {
    bar.setTotal(total);
    bar.update(done, payload);
  }
};

const controller = new AbortController();
let interrupts = 0;
process.on('SIGINT', () => {
  // A second Ctrl-C means now: the run is resumable either way.
  if (++interrupts > 1) process.exit(130);
  controller.abort(new Error('interrupted (Ctrl-C)'));
});

const services = await startedOrExit('npm run ingest', () => openServices(settings, log));
let exitCode = 0;
try {
  if (args.renormalize) {
    const result = await renormalizeCatalog({
      store: services.store,
      progress: services.progress,
      log,
      signal: controller.signal,
      onProgress: (p) => show('renormalize', p.done, p.total, p.failed),
    });
    bar.stop();
    const { imported, updated, unchanged, failed } = result.summary;
    console.log(
      `renormalize: run ${result.runId} ${result.status} in ${((performance.now() - started) / 1000).toFixed(1)} s: ${result.total} stored responses, ` +
        `${updated} updated, ${imported} imported, ${unchanged} unchanged, ${failed} failed` +
        (result.status === 'interrupted' ? ' (run again to finish)' : ''),
    );
    if (result.status === 'interrupted') exitCode = 130;
  } else if (source === 'movielens') {
    const summary = await importMovieLens({
      directory: args.path!,
      store: services.store,
      log,
      signal: controller.signal,
      onProgress: (s) => show('movielens', s.imported + s.unchanged, s.imported + s.unchanged, 0),
    });
    bar.stop();
    console.log(
      `movielens: ${summary.imported} imported, ${summary.unchanged} already known, ${summary.skipped} rows without a TMDb id skipped`,
    );
  } else {
    const onProgress = (p: SyncProgress) => show(p.phase, p.done, p.total, p.failed);
    const deps = { store: services.store, progress: services.progress, log, signal: controller.signal, onProgress };
    const result = source === 'demo' ? await syncDemo(settings, deps) : await syncTmdb(settings, deps, pages);
    bar.stop();
    const { imported, updated, unchanged, failed } = result.summary;
    const seconds = (performance.now() - started) / 1000;
    console.log(
      `${source}: run ${result.runId} ${result.status}${result.resumed ? ' (resumed)' : ''} in ${seconds.toFixed(1)} s: ` +
        `${imported} imported, ${updated} updated, ${unchanged} unchanged, ${failed} failed` +
        (result.status === 'interrupted' ? ` (${result.reason}; run again to resume)` : ''),
    );
    if (result.status === 'interrupted') exitCode = controller.signal.aborted ? 130 : 1;
    else if (source === 'demo' && !args['catalog-only']) {
      const seeded = await seedDemoCommunity(settings, deps);
      console.log(
        seeded.status === 'already_seeded'
          ? 'demo community: already seeded, nothing to do'
          : `demo community: ${seeded.members} members, ${seeded.events} events in ${(seeded.ms / 1000).toFixed(1)} s${seeded.resumed ? ' (resumed)' : ''}`,
      );
      console.log(`demo account: ${DEMO_ACCOUNT_EMAIL} / ${DEMO_ACCOUNT_PASSWORD}`);
    }
  }
} catch (error) {
  bar.stop();
  console.error(`ingest failed: ${(error as Error).message}`);
  exitCode = controller.signal.aborted ? 130 : 1;
} finally {
  await services.close();
}
process.exit(exitCode);
