import { type Logger } from 'pino';
import { type ActivityDeps } from '../activities';
import { type Config } from '../config';

/**
 * The one place where real adapters (Discord REST, Twilio, the case store, the knowledge base) are built from
 * config for the worker. Tests build ActivityDeps from fakes instead.
 */
export async function buildActivityDeps(
  _config: Config,
  _logger: Logger,
  workerIdentity: string,
): Promise<{ deps: ActivityDeps; close(): Promise<void> }> {
  return { deps: { workerIdentity }, close: async () => undefined };
}
