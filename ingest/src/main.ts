/*
 * The ingest service (`npm start --workspace ingest`). With a TMDb credential it syncs now and
 * then every INGEST_INTERVAL (default 6h). Without one it imports the demo catalog (ingest/demo/),
 * seeds the demo community once (src/community/: people, ratings, lists, diaries and the demo
 * account) and exits 0, which the root `npm start` treats as a finished one-shot job.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { settingsOrExit, startedOrExit } from '@reeltime/platform/config';
import { createLogger } from './log.ts';
import { openServices } from './services.ts';
import { ingestSettings } from './settings.ts';
import { DEMO_ACCOUNT_EMAIL } from './community/credentials.ts';
import { seedDemoCommunity, serveImportTitleRequests, syncDemo, syncTmdb, tmdbClientFor } from './sources.ts';

/** After an interrupted run (TMDb unavailable), try again sooner than the full interval. */
const RESUME_AFTER_MS = 15 * 60_000;

const settings = settingsOrExit(() => ingestSettings());
const log = createLogger(settings.logLevel);
const controller = new AbortController();
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    log.info({ signal }, 'stopping; an unfinished run is resumed on the next start');
    controller.abort(new Error(`stopped by ${signal}`));
  });
}

const services = await startedOrExit('ingest', () => openServices(settings, log));
const deps = { store: services.store, progress: services.progress, log, signal: controller.signal };
let exitCode = 0;
try {
  if (!settings.credential) {
    log.info('no TMDb credential (TMDB_READ_ACCESS_TOKEN or TMDB_API_KEY): importing the demo catalog, then exiting');
    const result = await syncDemo(settings, deps);
    log.info({ ...result.summary, status: result.status }, 'demo catalog imported');
    if (result.status !== 'completed') {
      if (!controller.signal.aborted) exitCode = 1;
    } else if (settings.demoCommunity) {
      const seeded = await seedDemoCommunity(settings, deps);
      if (seeded.status === 'already_seeded') log.info({ demoAccount: DEMO_ACCOUNT_EMAIL }, 'demo community already seeded');
      else {
        const { members, events, writes, resumed } = seeded;
        log.info({ members, events, writes, resumed, ms: Math.round(seeded.ms), demoAccount: DEMO_ACCOUNT_EMAIL }, 'demo community seeded');
      }
    }
  } else {
    log.info({ intervalMs: settings.intervalMs, baseUrl: settings.baseUrl, pages: settings.pages }, 'syncing TMDb on a schedule');
    // One client: the scheduled syncs and the imports' title requests share its rate limit.
    const client = tmdbClientFor(settings, log);
    const requests = serveImportTitleRequests(settings, { ...deps, client });
    while (!controller.signal.aborted) {
      let wait = settings.intervalMs;
      try {
        const result = await syncTmdb(settings, { ...deps, client });
        if (result.status === 'interrupted') wait = Math.min(wait, RESUME_AFTER_MS);
      } catch (error) {
        if (controller.signal.aborted) break;
        // The database or TMDb being down must not end the service: the run resumes next time.
        log.error({ err: error }, 'sync run failed; retrying at the next tick');
        wait = Math.min(wait, RESUME_AFTER_MS);
      }
      log.info({ nextRunInMs: wait }, 'waiting for the next sync');
      await sleep(wait, undefined, { signal: controller.signal }).catch(() => {});
    }
    await requests;
    client.close();
  }
} catch (error) {
  log.error({ err: error }, 'ingest failed');
  exitCode = 1;
} finally {
  await services.close();
}
process.exit(exitCode);
