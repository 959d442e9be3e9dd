import fs from 'node:fs';
import { type Command } from 'commander';
import { loadConfig } from '../../config';
import { openCaseStore } from '../../cases';
import { describeForget, forgetUser } from '../../privacy/forget-user';
import { buildTwilioCustomerData } from '../../privacy/twilio-customer-data';
import { discordUserId, exportUser, type PrivacyDeps } from '../../privacy/user-data';
import { commandLineTarget, connectClient } from '../../temporal/connect';
import { UserError } from '../user-error';
import { closeTemporalConnection } from '../../temporal/close-connection';

/**
 * `flexcord privacy export|forget <discord-user-id>`: a user's request to see, or to erase, what flexcord keeps
 * about them, across the case store, Temporal and Twilio. Needs Temporal (and a worker, to close a running
 * conversation), like `flexcord cases close`.
 */
export function registerPrivacyCommand(program: Command): void {
  const privacy = program
    .command('privacy')
    .description("export or erase everything flexcord keeps about a Discord user (a data subject's request)");

  privacy
    .command('export <discord-user-id>')
    .description(
      'write their cases (transcripts, events, ratings, reports), workflow runs and Twilio conversations as JSON',
    )
    .option('--out <file>', 'write to this file instead of standard output')
    .action(async (userId: string, opts: { out?: string }) => {
      await withPrivacy(userId, async (deps) => {
        const data = await exportUser(deps, userId);
        const json = `${JSON.stringify(data, null, 2)}\n`;
        if (opts.out) {
          fs.writeFileSync(opts.out, json, { mode: 0o600 });
          process.stderr.write(`wrote ${data.cases.length} case(s) about ${userId} to ${opts.out}\n`);
        } else process.stdout.write(json);
        for (const n of data.notIncluded) process.stderr.write(`not included: ${n}\n`);
      });
    });

  privacy
    .command('forget <discord-user-id>')
    .description(
      'close their running conversations, then delete their cases, workflow executions and Twilio conversations',
    )
    .action(async (userId: string) => {
      await withPrivacy(userId, async (deps, namespace) => {
        const report = await forgetUser({ ...deps, namespace }, userId);
        console.log(`forgetting Discord user ${userId}:`);
        for (const line of describeForget(report)) console.log(`  ${line}`);
        // Something stayed behind: the operator must see it in the exit status too.
        if (report.notDone.length > 0) process.exitCode = 1;
      });
    });
}

async function withPrivacy(
  userId: string,
  fn: (deps: PrivacyDeps, namespace: string) => Promise<void>,
): Promise<void> {
  if (!discordUserId.safeParse(userId).success) throw new UserError(`${userId} is not a Discord user id`);
  const config = loadConfig();
  const twilio = buildTwilioCustomerData(config);
  if (!twilio) process.stderr.write('Twilio credentials are not set: Twilio is neither read nor changed\n');
  const cases = await openCaseStore(config);
  try {
    const target = commandLineTarget(config);
    const { client, connection } = await connectClient(target);
    try {
      await fn({ client, store: cases.store, ...(twilio ? { twilio } : {}) }, target.namespace);
    } finally {
      await closeTemporalConnection(connection);
    }
  } finally {
    await cases.close();
  }
}
