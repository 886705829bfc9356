import { createLogger } from '@reeltime/platform';
import { settingsOrExit, startedOrExit } from '@reeltime/platform/config';
import { projections } from './projections.ts';
import { startProjector } from './service.ts';
import { projectorSettings } from './settings.ts';

const settings = settingsOrExit(() => projectorSettings());
const log = createLogger('projector', settings.logLevel);
// Signals are handled from the first moment: projections may start writing before startProjector
// resolves, and a SIGTERM then must still finish the current batches and exit 0.
const started = startProjector(settings, projections, log);

let stopping = false;
for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  process.on(signal, () => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, 'stopping: finishing the current batches');
    started
      .then((service) => service.stop())
      .then(
        () => process.exit(0),
        (error: unknown) => {
          log.error({ err: error }, 'unclean stop');
          process.exit(1);
        },
      );
  });
}

await startedOrExit('projector', () => started);
