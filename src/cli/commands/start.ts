import { type Command, Option } from 'commander';
import { loadConfig } from '../../config';
import { createLogger } from '../../logging/logger';
import { ROLE_NAMES, type RoleName } from '../../app/role';
import { startApp } from '../../app/start';

export function registerStartCommand(program: Command): void {
  program
    .command('start')
    .description('start flexcord: the worker, the Discord bot and the webhook server (or one of them)')
    .addOption(
      new Option('--role <role>', 'which part to run in this process')
        .choices(['all', ...ROLE_NAMES])
        .default('all'),
    )
    .action(async (opts: { role: 'all' | RoleName }) => {
      const config = loadConfig();
      const logger = createLogger(config);
      const roles = opts.role === 'all' ? [...ROLE_NAMES] : [opts.role];
      const app = await startApp(config, roles, logger);
      let signals = 0;
      const onSignal = (signal: NodeJS.Signals) => {
        signals += 1;
        if (signals > 1) {
          logger.warn('second signal: exiting without waiting');
          process.exit(130);
        }
        logger.info({ signal }, 'shutting down gracefully (signal again to force)');
        void app.stop();
      };
      process.on('SIGINT', onSignal);
      process.on('SIGTERM', onSignal);
      await app.done;
      await app.stop();
      logger.info('stopped');
    });
}
