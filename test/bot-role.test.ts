import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pino from 'pino';
import { type RoleContext } from '../src/app/role';
import { startBotRole } from '../src/app/roles/bot-role';
import { loadConfig, MissingSettingsError } from '../src/config';
import { localTarget } from '../src/temporal/connect';
import { FakeDiscord, waitFor } from '../src/sandbox/discord';
import { testEnv } from './support/global-fixtures';

/* The bot role's own life cycle against the Discord fake; what the bot does once running is in bot/e2e tests. */
describe('bot role start and stop', function () {
  this.timeout(20_000);
  let discord: FakeDiscord;
  let dataDir: string;

  beforeEach(async () => {
    discord = await new FakeDiscord().start();
    discord.addGuild('Acme');
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'flexcord-bot-role-'));
  });

  afterEach(async () => {
    await discord.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  function context(env: Record<string, string>): RoleContext {
    const config = loadConfig(
      { FLEXCORD_DATA_DIR: dataDir, DISCORD_API_URL: discord.apiUrl, ...env },
      { dotenvPath: false },
    );
    return {
      config,
      logger: pino({ level: 'silent' }),
      target: localTarget(testEnv().address, 'default'),
      client: testEnv().client,
      sharedProcess: false,
    };
  }

  it('logs in over the gateway, then stops: the session closes and `done` resolves', async () => {
    const role = await startBotRole(
      context({ DISCORD_TOKEN: discord.token, DISCORD_APPLICATION_ID: discord.applicationId }),
    );
    assert.equal(role.name, 'bot');
    await discord.waitForGatewaySession();
    await role.stop();
    await role.done;
    await waitFor(() => !discord.hasGatewaySession(), 5000, 'the gateway session to close');
  });

  it('names the missing variables instead of starting without a token', async () => {
    await assert.rejects(
      startBotRole(context({ DISCORD_APPLICATION_ID: discord.applicationId })),
      (err: unknown) => err instanceof MissingSettingsError && err.variables.join() === 'DISCORD_TOKEN',
    );
  });

  it('fails to start when Discord rejects the token, leaving no gateway session behind', async () => {
    await assert.rejects(
      startBotRole(
        context({ DISCORD_TOKEN: 'not-the-token', DISCORD_APPLICATION_ID: discord.applicationId }),
      ),
    );
    assert.equal(discord.hasGatewaySession(), false);
  });
});
