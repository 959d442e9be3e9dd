import assert from 'node:assert/strict';
import { ApplicationFailure } from '@temporalio/common';
import { PermissionFlagsBits } from 'discord-api-types/v10';
import { createDiscordActivities } from '../src/activities/discord/activities';
import { createDiscordRest, DiscordRestPort } from '../src/activities/discord/discord-rest-port';
import { supportWorkflowId } from '../src/shared/support-types';
import { FakeDiscord } from '../src/sandbox/discord';
import { type FlexcordSystem, startFlexcordSystem } from './support/e2e/flexcord-system';
import { recordHistory } from './support/histories';

/*
 * A server that is not set up for flexcord (no #support channel, a permission taken from the bot, a channel deleted)
 * is an operator's problem that no retry fixes: it fails at once, says what to do, and the user hears it at once.
 */
describe('Discord configuration errors fail fast and say so', function () {
  this.timeout(60_000);
  let discord: FakeDiscord;

  afterEach(async () => {
    assert.deepEqual(discord.checker.violations, []);
    assert.deepEqual(discord.unhandled, []);
    await discord.stop();
  });

  const failureOf = async (p: Promise<unknown>): Promise<ApplicationFailure> => {
    try {
      await p;
    } catch (err) {
      assert.ok(err instanceof ApplicationFailure, `expected an ApplicationFailure, got ${String(err)}`);
      return err;
    }
    assert.fail('expected the activity to fail');
  };

  describe('the Discord activities (REST adapter against the fake)', () => {
    let activities: ReturnType<typeof createDiscordActivities>;
    let guildId: string;
    let supportChannelId: string;

    beforeEach(async () => {
      discord = await new FakeDiscord({ rateLimits: [] }).start();
      const made = discord.addGuild('Acme');
      guildId = made.guild.id;
      supportChannelId = made.supportChannel.id;
      const rest = createDiscordRest({ token: discord.token, apiUrl: discord.apiUrl });
      activities = createDiscordActivities(new DiscordRestPort(rest));
    });

    it('a missing #support channel is non-retryable and names `flexcord setup-channels`', async () => {
      discord.requireChannel(supportChannelId).name = 'general';
      const user = discord.addUser('ana');
      const failure = await failureOf(
        activities.openSupportChannel({
          user: { guildId, userId: user.id, userName: 'ana' },
          preferThread: true,
        }),
      );
      assert.equal(failure.nonRetryable, true);
      assert.equal(failure.type, 'DiscordSetupRequired');
      assert.match(failure.message, /no #support channel/);
      assert.match(failure.message, /flexcord setup-channels/);
    });

    it('missing permissions (50013) are non-retryable and name the permission', async () => {
      discord.denyBotPermission(supportChannelId, PermissionFlagsBits.CreatePrivateThreads);
      const user = discord.addUser('bo');
      const failure = await failureOf(
        activities.openSupportChannel({
          user: { guildId, userId: user.id, userName: 'bo' },
          preferThread: true,
        }),
      );
      assert.equal(failure.nonRetryable, true);
      assert.equal(failure.type, 'DiscordSetupRequired');
      assert.match(failure.message, /Create Private Threads/);
      assert.match(failure.message, /flexcord setup-channels/);

      discord.denyBotPermission(supportChannelId, PermissionFlagsBits.SendMessages);
      const send = await failureOf(
        activities.sendToDiscord({
          channel: { channelId: supportChannelId, kind: 'thread' },
          dedupeKey: 'k',
          kind: 'notice',
          text: 'hello',
        }),
      );
      assert.equal(send.nonRetryable, true);
      assert.match(send.message, /Send Messages/);
    });

    it('an unknown channel (10003) is non-retryable and says how to repair it', async () => {
      const failure = await failureOf(
        activities.sendToDiscord({
          channel: { channelId: '1234567890', kind: 'thread' },
          dedupeKey: 'k',
          kind: 'notice',
          text: 'hello',
        }),
      );
      assert.equal(failure.nonRetryable, true);
      assert.equal(failure.type, 'DiscordSetupRequired');
      assert.match(failure.message, /channel 1234567890 does not exist/);
      assert.match(failure.message, /flexcord setup-channels/);
    });
  });

  describe('/helpme (the whole of flexcord on the dev server)', () => {
    let system: FlexcordSystem | undefined;

    afterEach(async () => {
      await system?.stop();
      system = undefined;
    });

    it('answers at once, naming the fix, when the user’s DMs are closed and the server has no #support channel', async () => {
      discord = await new FakeDiscord().start();
      const acme = discord.addGuild('Acme');
      acme.supportChannel.name = 'general';
      const bo = discord.addUser('bo', { dmsClosed: true }).id;
      discord.addMember(acme.guild.id, bo);
      system = await startFlexcordSystem(discord);

      const started = Date.now();
      const helpme = await discord.waitForReply(
        discord.runSlashCommand(bo, acme.supportChannel.id, 'helpme'),
        10_000,
      );
      assert.ok(Date.now() - started < 10_000);
      assert.match(FakeDiscord.replyText(helpme), /not set up/);
      assert.match(FakeDiscord.replyText(helpme), /setup.channels/);
      const handle = system.ctx.client.workflow.getHandle(supportWorkflowId(acme.guild.id, bo));
      await handle.terminate('test over');
      await recordHistory(system.ctx.client, handle.workflowId, 'support-helpme-setup-dm-closed-v1');
    });

    it('answers at once, naming the permission, when the bot may not create private threads in #support', async () => {
      discord = await new FakeDiscord().start();
      const acme = discord.addGuild('Acme');
      discord.denyBotPermission(acme.supportChannel.id, PermissionFlagsBits.CreatePrivateThreads);
      const cy = discord.addUser('cy').id;
      discord.addMember(acme.guild.id, cy);
      system = await startFlexcordSystem(discord, { DISCORD_PREFER_THREADS: 'true' });

      const helpme = await discord.waitForReply(
        discord.runSlashCommand(cy, acme.supportChannel.id, 'helpme'),
        10_000,
      );
      assert.match(FakeDiscord.replyText(helpme), /not set up/);
      assert.match(FakeDiscord.replyText(helpme), /Create Private Threads/);
      const workflowId = supportWorkflowId(acme.guild.id, cy);
      await system.ctx.client.workflow.getHandle(workflowId).result();
      await recordHistory(system.ctx.client, workflowId, 'support-helpme-setup-no-thread-v1');
    });
  });
});
