import { type Command } from 'commander';

type Register = (program: Command) => void;

/*
 * One module per command; add a line here to register a new one. Each is loaded only when needed: `flexcord cases
 * show 12` loads the cases command alone, not the worker, the bot, discord.js and twilio that `start` needs. Every
 * CLI call paid for all of them before (about 3 s of CPU from the sources), which scripts calling `flexcord cases`
 * in a loop and the test suite felt. `require` because `import()` does not load TypeScript sources under tsx/cjs.
 */
const COMMANDS: Record<string, () => Register> = {
  start: lazy('./start', 'registerStartCommand'),
  sandbox: lazy('./sandbox', 'registerSandboxCommand'),
  temporal: lazy('./temporal', 'registerTemporalCommand'),
  doctor: lazy('./doctor', 'registerDoctorCommand'),
  cases: lazy('./cases', 'registerCasesCommand'),
  privacy: lazy('./privacy', 'registerPrivacyCommand'),
  'bundle-workflows': lazy('./bundle-workflows', 'registerBundleWorkflowsCommand'),
  'register-commands': lazy('./register-commands', 'registerRegisterCommandsCommand'),
  'setup-channels': lazy('./setup-channels', 'registerSetupChannelsCommand'),
  kb: lazy('./kb', 'registerKbCommand'),
  feeds: lazy('./feeds', 'registerFeedsCommand'),
  stats: lazy('./stats', 'registerStatsCommand'),
};

function lazy(file: string, exportName: string): () => Register {
  return () => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- see above: loaded on demand
    const register = (require(file) as Record<string, unknown>)[exportName];
    if (typeof register !== 'function') throw new Error(`${file} does not export ${exportName}`);
    return register as Register;
  };
}

/** The names of every top-level command, in the order `flexcord --help` lists them. */
export const COMMAND_NAMES = Object.keys(COMMANDS);

/**
 * Registers the command `argv` names, none for `--version`, or every command when it names none of them (help, a
 * typo: commander's help and its "did you mean" need them all).
 */
export function registerCommands(program: Command, argv: readonly string[] = []): void {
  const named = argv[2];
  // `flexcord --version` answers from package.json alone (scripts and `flexcord doctor` ask for it often).
  if (argv.length === 3 && (named === '--version' || named === '-V')) return;
  const only = named !== undefined && Object.hasOwn(COMMANDS, named) ? named : undefined;
  for (const [name, load] of Object.entries(COMMANDS)) {
    if (only === undefined || name === only) load()(program);
  }
}
