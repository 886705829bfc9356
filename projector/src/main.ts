import { createLogger } from '@reeltime/platform';
import { settingsOrExit } from '@reeltime/platform/config';
import { projections } from './projections.ts';
import { startProjector } from './service.ts';
import { projectorSettings } from './settings.ts';

const settings = settingsOrExit(() => projectorSettings());
const log = createLogger('projector', settings.logLevel);
const service = await startProjector(settings, projections, log);

let stopping = false;
for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  process.on(signal, () => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, 'stopping: finishing the current batches');
    service.stop().then(
      () => process.exit(0),
      (error: unknown) => {
        log.error({ err: error }, 'unclean stop');
        process.exit(1);
      },
    );
  });
}
