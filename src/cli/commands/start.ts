import { type Command, Option } from 'commander';
import { loadConfig } from '../../config';
import { createLogger } from '../../logging/logger';
import { ROLE_NAMES, type RoleName } from '../../app/role';
import { startApp } from '../../app/start';
import { startsAsSandbox } from '../../sandbox/guard';
import { runUntilSignal } from '../run-until-signal';
import { runSandbox } from './sandbox';

export function registerStartCommand(program: Command): void {
  program
    .command('start')
    .description(
      'start flexcord: the worker, the Discord bot and the webhook server (or one of them); with no Discord or Twilio credentials set, the offline sandbox',
    )
    .addOption(
      new Option('--role <role>', 'which part to run in this process')
        .choices(['all', ...ROLE_NAMES])
        .default('all'),
    )
    .action(async (opts: { role: 'all' | RoleName }) => {
      const config = loadConfig();
      // A newcomer's `npm start` with nothing configured: show the whole product working, offline.
      if (opts.role === 'all' && startsAsSandbox(config)) {
        await runSandbox({ reason: 'no Discord or Twilio credentials are set' });
        return;
      }
      const logger = createLogger(config);
      const roles = opts.role === 'all' ? [...ROLE_NAMES] : [opts.role];
      const app = await startApp(config, roles, logger);
      await runUntilSignal(app, logger);
    });
}
