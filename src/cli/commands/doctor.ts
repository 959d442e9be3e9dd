import { type Command, InvalidArgumentError } from 'commander';
import { loadConfig } from '../../config';
import { runDoctor } from '../../doctor/run-doctor';
import { exitCodeFor, formatReport, jsonReport, withoutSecrets } from '../../doctor/report';

const seconds = (value: string): number => {
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0) throw new InvalidArgumentError('a number of seconds greater than 0');
  return n;
};

export function registerDoctorCommand(program: Command): void {
  program
    .command('doctor')
    .description(
      'check the whole setup: settings, Temporal (search attributes, a worker), the case store, the knowledge base, ' +
        'the Discord token and servers, the Twilio SIDs, and whether PUBLIC_BASE_URL reaches the webhooks; ' +
        'exits 0 when every check passes, 1 when one fails',
    )
    .option('--json', 'print the results as JSON')
    .option('--check-timeout <seconds>', 'how long each service may take to answer', seconds, 5)
    .option('--timeout <seconds>', 'how long the self-test workflow waits for a worker', seconds, 20)
    .action(async (opts: { json?: boolean; checkTimeout: number; timeout: number }) => {
      const { config, results } = await runDoctor(() => loadConfig(), {
        timeoutMs: opts.checkTimeout * 1000,
        workerTimeoutMs: opts.timeout * 1000,
      });
      const text = withoutSecrets(opts.json ? jsonReport(results) : formatReport(results), config);
      const code = exitCodeFor(results);
      // Exit once the report is written: a service that never answered may still hold a socket open.
      await new Promise<void>((resolve) => process.stdout.write(`${text}\n`, () => resolve()));
      process.exit(code);
    });
}
