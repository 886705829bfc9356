import type { Logger } from 'pino';

/** SIGTERM/SIGINT: stop taking work, release resources once, exit 0. */
export function onShutdown(log: Logger, stop: () => Promise<unknown>): void {
  let closing = false;
  const shutdown = async (signal: string) => {
    if (closing) return;
    closing = true;
    log.info({ signal }, 'shutting down');
    await stop().catch((error: unknown) => log.error({ err: error }, 'error while shutting down'));
    process.exit(0);
  };
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  process.on('SIGINT', () => void shutdown('SIGINT'));
}
