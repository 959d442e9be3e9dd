import { type Command } from 'commander';
import { playDemo } from '../../sandbox/demo';
import { sandboxBanner, startSandbox } from '../../sandbox/run-sandbox';
import { runUntilSignal } from '../run-until-signal';
import { UserError } from '../user-error';

/** `flexcord sandbox`: the offline sandbox until Ctrl-C. */
export async function runSandbox(options: { reset?: boolean; reason?: string }): Promise<void> {
  const sandbox = await startSandbox({ reset: options.reset });
  // The roles' last start-up lines first, then the banner as the last thing on screen.
  await new Promise((resolve) => setTimeout(resolve, 100));
  console.log(sandboxBanner(sandbox, options.reason));
  await runUntilSignal({ done: sandbox.app.done, stop: sandbox.stop }, sandbox.logger);
}

export function registerSandboxCommand(program: Command): void {
  const sandbox = program
    .command('sandbox')
    .description(
      'the whole product offline: a local Discord and Twilio, the embedded Temporal server, every role, and a playground page',
    )
    .option('--reset', 'delete the sandbox data and start with a new world')
    .action(async (opts: { reset?: boolean }) => {
      await runSandbox({ reset: opts.reset });
    });
  sandbox
    .command('demo')
    .description(
      'play one support story through the real roles in a fresh, temporary sandbox and print each step; exits 1 naming the step that failed',
    )
    .option('--verbose', "show the roles' logs")
    .option('--step-timeout <seconds>', 'how long one step may take', (v) => Number(v), 60)
    .action(async (opts: { verbose?: boolean; stepTimeout: number }) => {
      if (!(opts.stepTimeout > 0)) throw new UserError('--step-timeout takes a number of seconds');
      const ok = await playDemo({
        verbose: opts.verbose ?? false,
        stepTimeoutMs: opts.stepTimeout * 1000,
        out: (line) => console.log(line),
      });
      if (!ok) process.exitCode = 1;
    });
}
