import path from 'node:path';
import { type FakeDiscord } from '../../src/sandbox/discord';
import { type FakeTwilio } from '../../src/sandbox/twilio/fake-twilio';
import { RoleProcess, until } from './role-process';

export const BENCH_AUTH_TOKEN = 'benchbenchbenchbenchbenchbench12';
export const BENCH_IDENTITY_SECRET = 'bench-identity-secret-0123456789';

export interface FlexcordProcessesOptions {
  discord: FakeDiscord;
  twilio: FakeTwilio;
  guildId: string;
  temporalAddress: string;
  /** Shared by the roles: the case store (SQLite) lives here. */
  dataDir: string;
  logDir: string;
  httpPort: number;
  taskQueue: string;
  /** How many worker processes poll the task queue. */
  workers?: number;
  /** Extra settings for every role (timings, limits). */
  env?: Record<string, string>;
}

/**
 * BENCH_CPU_PROF=1: the worker runs under V8's sampling profiler and writes a .cpuprofile when it stops (into
 * `profiles/` beside the logs; keep them with BENCH_KEEP=1), to see where its CPU per message goes.
 */
function cpuProfileArgs(logDir: string): string[] {
  if (process.env.BENCH_CPU_PROF !== '1') return [];
  return ['--cpu-prof', `--cpu-prof-dir=${path.join(logDir, '..', 'profiles')}`];
}

/**
 * flexcord as an operator runs it: one OS process per role (`flexcord start --role worker|bot|webhooks`), configured
 * only by environment variables that point at the local fakes and at a Temporal server the harness owns.
 */
export class FlexcordProcesses {
  readonly workers: RoleProcess[];
  readonly bot: RoleProcess;
  readonly webhooks: RoleProcess;

  constructor(readonly options: FlexcordProcessesOptions) {
    const env = this.env();
    const worker = (i: number) =>
      new RoleProcess({
        role: 'worker',
        name: options.workers && options.workers > 1 ? `worker-${i + 1}` : 'worker',
        env,
        nodeArgs: cpuProfileArgs(options.logDir),
        logDir: options.logDir,
        ready: (p) => until(() => p.logContains('"worker polling"'), `${p.name} polling`, 180_000),
      });
    this.workers = Array.from({ length: options.workers ?? 1 }, (_, i) => worker(i));
    this.webhooks = new RoleProcess({
      role: 'webhooks',
      env,
      logDir: options.logDir,
      ready: (p) =>
        until(
          async () => p.logContains('webhook server listening') && (await this.webhooksReady()),
          'webhooks',
        ),
    });
    this.bot = new RoleProcess({
      role: 'bot',
      env,
      logDir: options.logDir,
      ready: (p) => until(() => p.logContains('discord bot connected'), 'the bot on the gateway'),
    });
  }

  get publicBaseUrl(): string {
    return `http://127.0.0.1:${this.options.httpPort}`;
  }

  get worker(): RoleProcess {
    return this.workers[0]!;
  }

  get all(): RoleProcess[] {
    return [...this.workers, this.webhooks, this.bot];
  }

  /** The worker first (it registers nothing the others need, but it bundles the workflows, the slow part). */
  async start(): Promise<void> {
    await Promise.all(this.workers.map((w) => w.start()));
    await Promise.all([this.webhooks.start(), this.bot.start()]);
  }

  async stop(): Promise<void> {
    await Promise.all([this.bot.stop(), this.webhooks.stop()]);
    await Promise.all(this.workers.map((w) => w.stop()));
  }

  /** Kills whatever is still running (after a failure), without waiting for a graceful stop. */
  async kill(): Promise<void> {
    await Promise.all(this.all.map((p) => p.kill()));
  }

  private async webhooksReady(): Promise<boolean> {
    try {
      const res = await fetch(`${this.publicBaseUrl}/readyz`);
      return res.ok;
    } catch {
      return false;
    }
  }

  private env(): Record<string, string> {
    const { options } = this;
    const { discord, twilio } = options;
    return {
      NODE_ENV: 'development',
      LOG_LEVEL: process.env.BENCH_LOG_LEVEL ?? 'info',
      LOG_FORMAT: 'json',
      FLEXCORD_DATA_DIR: options.dataDir,
      TEMPORAL_ADDRESS: options.temporalAddress,
      TEMPORAL_NAMESPACE: 'default',
      TEMPORAL_TASK_QUEUE: options.taskQueue,
      HTTP_PORT: String(options.httpPort),
      HTTP_HOST: '127.0.0.1',
      PUBLIC_BASE_URL: this.publicBaseUrl,
      DISCORD_TOKEN: discord.token,
      DISCORD_APPLICATION_ID: discord.applicationId,
      DISCORD_API_URL: discord.apiUrl,
      DISCORD_GUILD_ID: options.guildId,
      TWILIO_ACCOUNT_SID: twilio.accountSid,
      TWILIO_AUTH_TOKEN: twilio.authToken,
      TWILIO_IDENTITY_SECRET: BENCH_IDENTITY_SECRET,
      TWILIO_FLEX_WORKSPACE_SID: twilio.workspaceSid,
      TWILIO_FLEX_WORKFLOW_SID: twilio.workflowSid,
      TWILIO_API_BASE_URL: twilio.url,
      KB_DIR: path.resolve(__dirname, '../../knowledge-base'),
      // Long enough that no timer closes a conversation during a run.
      SUPPORT_INACTIVITY_SECONDS: '86400',
      SUPPORT_INACTIVITY_REMINDER_SECONDS: '80000',
      SUPPORT_AGENT_SLA_SECONDS: '86400',
      ...options.env,
    };
  }
}
