import pino, { type Logger } from 'pino';
import pretty from 'pino-pretty';
import { type Config } from '../config';
import { redactDeep, safeError, scrubText } from './safe-error';

export type { Logger } from 'pino';

/**
 * Every log line passes through `redactDeep` (safe-error.ts): errors anywhere in it keep safe fields only (message,
 * name, code, HTTP status, Twilio error code, route), keys naming a credential are blanked at any depth and in any
 * case, and credentials inside text are scrubbed. pino's own `redact` matches fixed, case-sensitive paths, which is
 * how an error's `config.headers.Authorization` slipped through before.
 */
const SAFE_LOGGING: Pick<pino.LoggerOptions, 'formatters' | 'hooks' | 'serializers'> = {
  formatters: {
    log: (object) => redactDeep(object) as Record<string, unknown>,
    bindings: (bindings) => redactDeep(bindings) as pino.Bindings,
  },
  // pino applies `serializers.err` to the error key after `formatters.log`; safeError again is a no-op there.
  serializers: { err: (err: unknown) => (isSafeError(err) ? err : safeError(err)) },
  hooks: {
    // The message text itself (`logger.warn(text)`, `logger.error(err, text)`).
    logMethod(args, method) {
      method.apply(
        this,
        args.map((a) => (typeof a === 'string' ? scrubText(a) : a)) as Parameters<typeof method>,
      );
    },
  },
};

function isSafeError(value: unknown): boolean {
  return typeof value === 'object' && value !== null && !(value instanceof Error);
}

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
    ...SAFE_LOGGING,
  };
  if (config.log.format === 'pretty') {
    // pino-pretty in-process (not as a worker transport) so logs flush in order with a clean exit. One line per
    // entry: a start-up of a dozen messages then fits on one screen.
    return withSafeChildren(
      pino(
        options,
        pretty({
          colorize: destination ? false : process.stdout.isTTY,
          ignore: 'pid,hostname',
          singleLine: true,
          ...(destination ? { destination } : {}),
        }),
      ),
    );
  }
  return withSafeChildren(destination ? pino(options, destination) : pino(options));
}

/**
 * pino formats a child's bindings without `formatters.bindings`; children inherit `child` from the root (they are
 * created with Object.create), so redacting here covers every descendant.
 */
function withSafeChildren(logger: Logger): Logger {
  const child = logger.child;
  logger.child = function (this: Logger, bindings, options) {
    return child.call(this, redactDeep(bindings) as pino.Bindings, options);
  } as Logger['child'];
  return logger;
}
