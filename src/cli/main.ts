import fs from 'node:fs';
import path from 'node:path';
import { Command, CommanderError } from 'commander';
import { projectRoot } from '../app/paths';
import { ConfigError } from '../config';
import { describeError } from '../logging/safe-error';
import { registerCommands } from './commands';

/** Failures caused by input or environment: one clear line and exit code 2, no stack trace. */
const USER_FACING_ERRORS = new Set([
  'UserError',
  'TemporalCliNotFoundError',
  'TemporalUnreachableError',
  'ConversationNotFoundError',
  'PortInUseError',
  'SandboxRefusedError',
  'SandboxMismatchError',
]);

/** The CLI; with `argv`, only the command it names is loaded (see registerCommands). */
export function buildProgram(argv?: readonly string[]): Command {
  const program = new Command('flexcord')
    .description('Discord support conversations as durable Temporal workflows, handed to Twilio Flex')
    .version(packageVersion(), '-V, --version', 'print the flexcord version')
    .showHelpAfterError()
    .exitOverride();
  registerCommands(program, argv);
  return program;
}

/** The version in flexcord's package.json, from sources and from the build alike. */
export function packageVersion(): string {
  const pkg = JSON.parse(fs.readFileSync(path.join(projectRoot(), 'package.json'), 'utf8')) as {
    version: string;
  };
  return pkg.version;
}

export async function main(argv: string[]): Promise<void> {
  try {
    await buildProgram(argv).parseAsync(argv);
  } catch (err) {
    if (err instanceof CommanderError) process.exit(err.exitCode);
    // Expected failures (bad config, missing binary) get one clear line, not a stack trace.
    if (err instanceof ConfigError || USER_FACING_ERRORS.has((err as Error).name)) {
      console.error(`flexcord: ${(err as Error).message}`);
      process.exit(2);
    }
    // Never the error object itself: HTTP and database clients hang their request (credentials included) on it.
    console.error(`flexcord: ${describeError(err)}`);
    process.exit(1);
  }
}
