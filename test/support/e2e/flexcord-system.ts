import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client } from '@temporalio/client';
import { type RoleContext, type RunningRole } from '../../../src/app/role';
import { startBotRole } from '../../../src/app/roles/bot-role';
import { startWebhooksRole } from '../../../src/app/roles/webhooks-role';
import { startWorkerRole } from '../../../src/app/roles/worker-role';
import { type Config, loadConfig } from '../../../src/config';
import { createLogger } from '../../../src/logging/logger';
import { type Observability } from '../../../src/observability';
import { localTarget } from '../../../src/temporal/connect';
import { type FakeDiscord } from '../../../src/sandbox/discord';
import { FakeTwilio } from '../../../src/sandbox/twilio/fake-twilio';
import { freePort } from '../free-port';
import { testEnv } from '../global-fixtures';
import { uniqueTaskQueue } from '../worker';

export const E2E_AUTH_TOKEN = 'e2ee2ee2ee2ee2ee2ee2ee2ee2ee2ee2';
/** TWILIO_IDENTITY_SECRET of the system: customers appear in Twilio under an HMAC keyed with it. */
export const E2E_IDENTITY_SECRET = 'e2e-identity-secret-0123456789';

export interface FlexcordSystem {
  config: Config;
  twilio: FakeTwilio;
  ctx: RoleContext;
  /** Stops the bot role alone (its gateway session ends); the worker and webhooks go on. */
  stopBot(): Promise<void>;
  /** Starts the bot role again, as a restart or a new deployment does. */
  startBot(): Promise<void>;
  /** Stops the worker role alone: signals still reach Temporal, but nothing runs or answers queries. */
  stopWorker(): Promise<void>;
  startWorker(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * flexcord as production starts it, pointed at the local fakes: configuration parsed from environment variables by
 * the real loader, then the worker, webhooks and bot roles through their own starters (so the wiring in
 * src/app/dependencies.ts and src/app/roles is what runs), on the shared Temporal dev server.
 */
export async function startFlexcordSystem(
  discord: FakeDiscord,
  env: Record<string, string> = {},
  /** Metrics and traces as `flexcord start` wires them: the roles' hooks and the client's interceptors. */
  observability?: Observability,
): Promise<FlexcordSystem> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'flexcord-e2e-'));
  // Twilio signs webhooks for the public URL, and the fake needs its TaskRouter callback up front, so the HTTP
  // port is chosen before anything listens.
  const httpPort = await freePort();
  const publicBaseUrl = `http://127.0.0.1:${httpPort}`;
  const twilio = await new FakeTwilio({
    authToken: E2E_AUTH_TOKEN,
    taskrouterCallbackUrl: `${publicBaseUrl}/twilio/taskrouter`,
  }).start();

  const config = loadConfig(
    {
      NODE_ENV: 'test',
      LOG_LEVEL: process.env.E2E_LOG_LEVEL ?? 'silent',
      FLEXCORD_DATA_DIR: dataDir,
      TEMPORAL_TASK_QUEUE: uniqueTaskQueue('e2e'),
      HTTP_PORT: String(httpPort),
      PUBLIC_BASE_URL: publicBaseUrl,
      DISCORD_TOKEN: discord.token,
      DISCORD_APPLICATION_ID: discord.applicationId,
      DISCORD_API_URL: discord.apiUrl,
      TWILIO_ACCOUNT_SID: twilio.accountSid,
      TWILIO_AUTH_TOKEN: E2E_AUTH_TOKEN,
      TWILIO_IDENTITY_SECRET: E2E_IDENTITY_SECRET,
      TWILIO_FLEX_WORKSPACE_SID: twilio.workspaceSid,
      TWILIO_FLEX_WORKFLOW_SID: twilio.workflowSid,
      TWILIO_API_BASE_URL: twilio.url,
      KB_DIR: path.resolve(__dirname, '../../../knowledge-base'),
      ...env,
    },
    { dotenvPath: false },
  );
  // The production logger (safe errors, redaction), as `flexcord start` builds it.
  const logger = createLogger(config);
  const env_ = testEnv();
  // As `flexcord start` builds them: the target carries the payload codec from config, the client uses it.
  const target = localTarget(env_.address, env_.namespace ?? 'default', config);
  const ctx: RoleContext = {
    config,
    logger,
    target,
    client: new Client({
      connection: env_.connection,
      namespace: env_.namespace ?? 'default',
      ...(observability ? { interceptors: { workflow: observability.clientInterceptors } } : {}),
      ...(target.dataConverter ? { dataConverter: target.dataConverter } : {}),
    }),
    sharedProcess: false,
    observability,
  };

  const roles: RunningRole[] = [];
  const stop = async () => {
    // Edges first, the worker last, as `flexcord start` does.
    for (const role of roles.reverse()) await role.stop();
    await twilio.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  };
  const startBot = async () => {
    roles.push(await startBotRole({ ...ctx, logger: logger.child({ role: 'bot' }) }));
  };
  const stopBot = async () => {
    const bot = roles.findIndex((r) => r.name === 'bot');
    if (bot >= 0) await roles.splice(bot, 1)[0]!.stop();
  };
  const startWorker = async () => {
    roles.push(await startWorkerRole({ ...ctx, logger: logger.child({ role: 'worker' }) }));
  };
  const stopWorker = async () => {
    const worker = roles.findIndex((r) => r.name === 'worker');
    if (worker >= 0) await roles.splice(worker, 1)[0]!.stop();
  };
  try {
    await startWorker();
    roles.push(await startWebhooksRole({ ...ctx, logger: logger.child({ role: 'webhooks' }) }));
    await startBot();
  } catch (err) {
    await stop();
    throw err;
  }
  return { config, twilio, ctx, stopBot, startBot, stopWorker, startWorker, stop };
}

export { eventually } from '../conversation-helpers';
