import pino from 'pino';
import { projections } from './projections.ts';
import { startProjector } from './service.ts';
import { projectorSettings } from './settings.ts';

const log = pino({ name: 'projector' });
const settings = projectorSettings();
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
