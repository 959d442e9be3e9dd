import { type Logger } from 'pino';

/**
 * Keeps a started service running until SIGINT or SIGTERM, then stops it gracefully; a second signal exits at once.
 * Resolves once it has stopped (on a signal, or when `done` resolves on its own).
 */
export async function runUntilSignal(
  service: { done: Promise<void>; stop(): Promise<void> },
  logger: Logger,
): Promise<void> {
  let signals = 0;
  const onSignal = (signal: NodeJS.Signals) => {
    signals += 1;
    if (signals > 1) {
      logger.warn('second signal: exiting without waiting');
      process.exit(130);
    }
    logger.info({ signal }, 'shutting down gracefully (signal again to force)');
    void service.stop();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  await service.done;
  await service.stop();
  logger.info('stopped');
}
