import type { LogLevel, LogMetadata, Logger as TemporalLogger } from '@temporalio/common';
import type { Logger } from 'pino';

const LEVELS: Record<LogLevel, 'trace' | 'debug' | 'info' | 'warn' | 'error'> = {
  TRACE: 'trace',
  DEBUG: 'debug',
  INFO: 'info',
  WARN: 'warn',
  ERROR: 'error',
};

/**
 * Routes the Temporal runtime's logs (SDK, workflow `log`, activity context logger) into our pino logger. The SDK's
 * own worker lifecycle messages ("Worker state changed", "No Nexus services registered"...) arrive at INFO; they
 * go to debug so start-up stays readable, while workflow and activity logs keep their level.
 */
export class PinoTemporalLogger implements TemporalLogger {
  constructor(
    private readonly logger: Logger,
    private readonly options: { quietInfo?: (meta?: LogMetadata) => boolean } = { quietInfo: isSdkLifecycle },
  ) {}

  log(level: LogLevel, message: string, meta?: LogMetadata): void {
    const quiet =
      (level === 'INFO' && (this.options.quietInfo?.(meta) ?? false)) ||
      isExpectedActivityOnlyWarning(message);
    this.logger[quiet ? 'debug' : LEVELS[level]](meta ?? {}, message);
  }
  trace(message: string, meta?: LogMetadata): void {
    this.log('TRACE', message, meta);
  }
  debug(message: string, meta?: LogMetadata): void {
    this.log('DEBUG', message, meta);
  }
  info(message: string, meta?: LogMetadata): void {
    this.log('INFO', message, meta);
  }
  warn(message: string, meta?: LogMetadata): void {
    this.log('WARN', message, meta);
  }
  error(message: string, meta?: LogMetadata): void {
    this.log('ERROR', message, meta);
  }
}

/** The Discord send queue's worker runs activities only (src/worker/discord-send-worker.ts): nothing to warn about. */
export function isExpectedActivityOnlyWarning(message: string): boolean {
  return message.startsWith('No workflows registered');
}

function isSdkLifecycle(meta?: LogMetadata): boolean {
  return meta?.sdkComponent === 'worker';
}

/** For the workflow bundler: its webpack statistics (twenty lines at INFO) go to debug; warnings and errors stay. */
export function quietBundlerLogger(logger: Logger): TemporalLogger {
  return new PinoTemporalLogger(logger, { quietInfo: () => true });
}
