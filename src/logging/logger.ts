import pino, { type Logger } from 'pino';
import pretty from 'pino-pretty';
import { type Config } from '../config';

export type { Logger } from 'pino';

/**
 * Paths pino blanks out wherever they appear in a log line: secrets must never reach logs, even by accident
 * (an error carrying request headers, a config object logged whole).
 */
const REDACT_PATHS = [
  'authorization',
  'headers.authorization',
  '*.headers.authorization',
  'req.headers.authorization',
  'token',
  '*.token',
  'authToken',
  '*.authToken',
  'apiSecret',
  '*.apiSecret',
  'apiKey',
  '*.apiKey',
  'password',
  '*.password',
  'databaseUrl',
  '*.databaseUrl',
];

/**
 * The process's logger. `destination` replaces stdout (tests read what would have been written); the pretty format
 * writes its formatted lines there too.
 */
export function createLogger(
  config: Pick<Config, 'log'>,
  name = 'flexcord',
  destination?: pino.DestinationStream,
): Logger {
  const options: pino.LoggerOptions = {
    name,
    level: config.log.level,
    redact: { paths: REDACT_PATHS, censor: '[redacted]' },
  };
  if (config.log.format === 'pretty') {
    // pino-pretty in-process (not as a worker transport) so logs flush in order with a clean exit. One line per
    // entry: a start-up of a dozen messages then fits on one screen.
    return pino(
      options,
      pretty({
        colorize: destination ? false : process.stdout.isTTY,
        ignore: 'pid,hostname',
        singleLine: true,
        ...(destination ? { destination } : {}),
      }),
    );
  }
  return destination ? pino(options, destination) : pino(options);
}
