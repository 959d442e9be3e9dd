import { randomBytes } from 'node:crypto';
import net from 'node:net';
import path from 'node:path';
import { type Client } from '@temporalio/client';
import { type Logger } from 'pino';
import { ROLE_NAMES } from '../app/role';
import { pollFeedsNow } from '../cli/commands/feeds';
import { type RunningApp, startApp } from '../app/start';
import { type Config, loadConfig } from '../config';
import { createLogger } from '../logging/logger';
import { type CaseDetail } from '../activities/cases/port';
import { type CaseSummary } from '../shared/case-types';
import { SUPPORT_WORKFLOW_TYPE } from '../shared/support-messages';
import { SandboxActions } from './actions';
import { AttachmentStore } from './attachments';
import {
  firstStartDone,
  inspectSandboxDir,
  markFirstStart,
  mismatch,
  resetSandboxDir,
  sandboxDir,
  WORLD_FILE,
} from './data-dir';
import { sandboxRefusal } from './guard';
import { playgroundRouter } from './playground/router';
import { StaffApi } from './staff-api';
import { SandboxWorld } from './world';

export class SandboxRefusedError extends Error {
  override name = 'SandboxRefusedError';
}

export interface SandboxOptions {
  /** Delete the sandbox's data first and start with a new world. */
  reset?: boolean;
  /** Where settings come from (default: the process environment, then `.env`). */
  env?: NodeJS.ProcessEnv;
  dotenvPath?: string | false;
  /** Overrides LOG_LEVEL (the demo keeps the roles quiet). */
  logLevel?: Config['log']['level'];
}

export interface RunningSandbox {
  config: Config;
  logger: Logger;
  world: SandboxWorld;
  actions: SandboxActions;
  app: RunningApp;
  client: Client;
  dir: string;
  restored: boolean;
  playgroundUrl: string;
  temporalUiUrl: string;
  /** Staff reads through flexcord's own case API (the sandbox holds its bearer token). */
  cases: { list(): Promise<CaseSummary[]>; show(caseNumber: number): Promise<CaseDetail> };
  stop(): Promise<void>;
}

/**
 * The whole product offline: a local Discord and Twilio (src/sandbox/discord, src/sandbox/twilio), then the embedded
 * Temporal server and the worker, bot and webhooks roles started exactly as `flexcord start` starts them, configured
 * to talk to the local services. The playground page is served by the webhooks role at `/sandbox`. Everything
 * listens on 127.0.0.1, and everything is kept in `<FLEXCORD_DATA_DIR>/sandbox` between runs.
 */
export async function startSandbox(options: SandboxOptions = {}): Promise<RunningSandbox> {
  const env = options.env ?? process.env;
  const dotenvPath = options.dotenvPath ?? '.env';
  const base = loadConfig(env, { dotenvPath });
  const refusal = sandboxRefusal(base);
  if (refusal) throw new SandboxRefusedError(refusal);

  const dir = sandboxDir(base.dataDir);
  if (options.reset) resetSandboxDir(dir);
  const mode = inspectSandboxDir(dir);
  if (mode === 'fresh') markFirstStart(dir);
  // Twilio signs webhooks for the public URL and stores it in each conversation's webhook: the port is fixed first.
  const port = base.http.port === 0 ? await freeLoopbackPort() : base.http.port;
  const baseUrl = `http://127.0.0.1:${port}`;
  const worldFile = path.join(dir, WORLD_FILE);
  const worldOptions = { taskrouterCallbackUrl: `${baseUrl}/twilio/taskrouter` };
  const world =
    mode === 'fresh'
      ? await SandboxWorld.create(
          worldFile,
          { ...base.discord.channels, support: base.discord.supportChannelName },
          worldOptions,
        )
      : await SandboxWorld.restore(worldFile, worldOptions);

  let app: RunningApp | undefined;
  let playground: ReturnType<typeof playgroundRouter> | undefined;
  let saver: NodeJS.Timeout | undefined;
  try {
    const apiToken = randomBytes(24).toString('hex');
    const config = loadConfig(
      {
        ...env,
        ...(options.logLevel ? { LOG_LEVEL: options.logLevel } : {}),
        FLEXCORD_DATA_DIR: dir,
        HTTP_HOST: '127.0.0.1',
        HTTP_PORT: String(port),
        PUBLIC_BASE_URL: baseUrl,
        DISCORD_TOKEN: world.discord.token,
        DISCORD_APPLICATION_ID: world.discord.applicationId,
        DISCORD_API_URL: world.discord.apiUrl,
        // Members' files are served by the playground's own CDN stand-in, on this server.
        DISCORD_ATTACHMENT_HOSTS: baseUrl,
        DISCORD_GUILD_ID: world.cast.guildId,
        DISCORD_STAFF_ROLE_ID: world.cast.staffRoleId,
        DISCORD_SUPPORT_CHANNEL_ID: '',
        TWILIO_ACCOUNT_SID: world.twilio.accountSid,
        TWILIO_AUTH_TOKEN: world.twilio.authToken,
        TWILIO_API_KEY: '',
        TWILIO_API_SECRET: '',
        TWILIO_FLEX_WORKSPACE_SID: world.twilio.workspaceSid,
        TWILIO_FLEX_WORKFLOW_SID: world.twilio.workflowSid,
        TWILIO_CONVERSATIONS_SERVICE_SID: '',
        TWILIO_API_BASE_URL: world.twilio.url,
        API_TOKEN: apiToken,
        API_TOKENS: '',
        FEED_URLS: `${baseUrl}/sandbox/feed.xml`,
        FEED_ALLOWED_PRIVATE_RANGES: '127.0.0.1/32',
        // Its metrics server would listen on every interface; the sandbox keeps to 127.0.0.1.
        METRICS_PORT: '',
        // Like production: histories encrypted (the Web UI decodes them through the webhook server's /codec), and
        // customers' Twilio identities keyed with a secret of their own; both kept with the world.
        PAYLOAD_ENCRYPTION_KEYS: world.secrets.payloadKeys,
        TWILIO_IDENTITY_SECRET: world.secrets.twilioIdentitySecret,
      },
      { dotenvPath },
    );
    const logger = createLogger(config);
    const attachments = new AttachmentStore(path.join(dir, 'attachments'), baseUrl);
    let client: Client | undefined;
    const actions = new SandboxActions(world, attachments, () => {
      if (!client) throw new Error('the sandbox has not connected to Temporal yet');
      return client;
    });
    const uiUrl = `http://localhost:${config.temporal.devUiPort}`;
    const staff = new StaffApi(baseUrl, apiToken);
    playground = playgroundRouter({
      world,
      actions,
      attachments,
      ui: { url: uiUrl, namespace: config.temporal.namespace },
      staff,
    });
    app = await startApp(config, [...ROLE_NAMES], logger, {
      httpRouters: [{ path: '/sandbox', router: playground.router }],
      beforeRoles: async (c) => {
        client = c;
        if (mode === 'restore') await assertWorkflowsFitWorld(c, world, dir);
      },
    });
    world.save();
    if (mode === 'fresh') firstStartDone(dir);
    // A new world announces its feed's first items at once instead of at the first interval (once the worker has
    // created the schedule, which it does just after it starts).
    if (mode === 'fresh') void pollWhenScheduled(client!, logger);
    let saved = world.revision();
    saver = setInterval(() => {
      const now = world.revision();
      if (now === saved) return;
      saved = now;
      try {
        world.save();
      } catch (err) {
        logger.error({ err }, 'could not save the sandbox world');
      }
    }, 300);
    saver.unref();

    const running = app;
    const router = playground;
    const timer = saver;
    let stopping: Promise<void> | undefined;
    return {
      config,
      logger,
      world,
      actions,
      app: running,
      client: client!,
      dir,
      restored: mode === 'restore',
      playgroundUrl: `http://localhost:${port}/sandbox`,
      temporalUiUrl: running.devServer?.uiUrl ?? uiUrl,
      cases: {
        list: () => staff.listCases(),
        show: (n) => staff.showCase(n),
      },
      stop: () =>
        (stopping ??= (async () => {
          clearInterval(timer);
          router.close();
          await running.stop();
          // The roles are stopped: nothing changes the world any more, so this save is the last word.
          world.save();
          await world.stop();
        })()),
    };
  } catch (err) {
    if (saver) clearInterval(saver);
    playground?.close();
    await app?.stop();
    await world.stop();
    // A first start that failed half-way leaves nothing worth keeping, and would leave a Temporal database without
    // its world: the next start begins clean instead of refusing.
    if (mode === 'fresh') resetSandboxDir(dir);
    throw err;
  }
}

/**
 * Each running support conversation names its Discord server in the `GuildId` search attribute; one naming a
 * server the world does not have means the Temporal database outlived its world (or the other way round).
 */
async function assertWorkflowsFitWorld(client: Client, world: SandboxWorld, dir: string): Promise<void> {
  const query = `WorkflowType = '${SUPPORT_WORKFLOW_TYPE}' AND ExecutionStatus = 'Running'`;
  for await (const w of client.workflow.list({ query })) {
    const guild = w.searchAttributes?.GuildId?.[0];
    if (typeof guild === 'string' && !world.discord.guilds.has(guild)) {
      throw mismatch(
        dir,
        `conversation ${w.workflowId} belongs to Discord server ${guild}, which the saved world does not have`,
      );
    }
  }
}

async function pollWhenScheduled(client: Client, logger: Logger): Promise<void> {
  for (let attempt = 0; attempt < 40; attempt += 1) {
    try {
      await pollFeedsNow(client);
      return;
    } catch {
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  }
  logger.warn('the sandbox feed was not polled at start; it will be at the next interval');
}

function freeLoopbackPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/** What the sandbox prints once it is up: where to go, and how to leave it for real accounts. */
export function sandboxBanner(s: RunningSandbox, reason?: string): string {
  const lines = [
    '',
    `  flexcord sandbox ${s.restored ? '(restored from the last run)' : '(new)'}: Discord and Twilio are simulated on this machine;`,
    '  nothing reaches the internet.',
    ...(reason ? [`  Started because ${reason}.`] : []),
    '',
    `  Playground       ${s.playgroundUrl}`,
    `  Temporal Web UI  ${s.temporalUiUrl}`,
    `  Data             ${shortPath(s.dir)}  (flexcord sandbox --reset starts clean)`,
    '',
    '  Real accounts: set DISCORD_TOKEN, DISCORD_APPLICATION_ID and the TWILIO_* settings in .env',
    '  (README: "Discord setup", "Twilio Flex setup"), then npm start. Ctrl-C stops.',
    '',
  ];
  return lines.join('\n');
}

/** Relative to the working directory when inside it (the usual `.data/sandbox`), absolute otherwise. */
function shortPath(dir: string): string {
  const relative = path.relative(process.cwd(), dir);
  return relative && !relative.startsWith('..') ? relative : dir;
}
