import assert from 'node:assert/strict';
import { createDiscordActivities } from '../src/activities/discord/activities';
import { createDiscordRest, DiscordRestPort } from '../src/activities/discord/discord-rest-port';
import { supportWorkflowId, type StartSupportInput } from '../src/shared/support-types';
import {
  getConversationState,
  openSupportConversation,
  sendUserMessage,
  signalAgentEvent,
} from '../src/temporal/support-client';
import { FakeDiscord, waitFor } from '../src/sandbox/discord';
import { FakeSupportWorld } from './fakes/support-activities';
import { eventually, QUIET_TIMINGS, userMessage } from './support/conversation-helpers';
import { testEnv } from './support/global-fixtures';
import { withWorker } from './support/worker';

/*
 * A retried Discord send looks in the channel for its own earlier post, because an attempt whose answer was lost
 * may have posted. An attempt that Discord refused (429, or the client's own rate-limit refusal) certainly did not;
 * reading the channel then only spends the bot's rate limit, which is what refused it in the first place.
 */
describe('Discord sends refused by a rate limit', function () {
  this.timeout(60_000);
  let discord: FakeDiscord;

  beforeEach(async () => {
    discord = await new FakeDiscord({ rateLimits: [] }).start();
  });

  afterEach(async () => {
    assert.deepEqual(discord.checker.violations, []);
    assert.deepEqual(discord.unhandled, []);
    await discord.stop();
  });

  it('retry without reading the channel first, and post once', async () => {
    const client = testEnv().client;
    const guildId = discord.addGuild('Acme').guild.id;
    const ana = discord.addUser('ana');
    discord.addMember(guildId, ana.id);
    const port = new DiscordRestPort(createDiscordRest({ token: discord.token, apiUrl: discord.apiUrl }));
    const activities = { ...new FakeSupportWorld().activities(), ...createDiscordActivities(port) };
    const input: StartSupportInput = {
      user: { guildId, userId: ana.id, userName: 'ana' },
      timings: QUIET_TIMINGS,
      preferThread: false,
    };
    const workflowId = supportWorkflowId(guildId, ana.id);
    const dm = discord.dmChannelFor(ana.id);

    await withWorker(activities, async (taskQueue) => {
      await openSupportConversation(client, { taskQueue, input });
      await sendUserMessage(client, { taskQueue, input, event: userMessage('talk to a human please') });
      await eventually(async () =>
        assert.equal((await getConversationState(client, workflowId)).phase, 'waiting_for_agent'),
      );
      await eventually(() => assert.ok(discord.messagesIn(dm.id).some((m) => /Case #1/.test(m.content))));

      const before = discord.requestLog.length;
      discord.failNext('POST', /\/messages$/, { status: 429, retryAfter: 0.2 });
      discord.failNext('POST', /\/messages$/, { status: 429, retryAfter: 0.2 });
      await signalAgentEvent(client, {
        workflowId,
        event: {
          kind: 'message',
          eventId: 'IM0001',
          agentIdentity: 'dana',
          agentName: 'Dana',
          text: 'Please restart the launcher.',
          attachments: [],
          sentAt: new Date().toISOString(),
        },
      });
      await waitFor(
        () => discord.messagesIn(dm.id).some((m) => m.content.includes('restart the launcher')),
        20_000,
        'the agent message',
      );
      const after = discord.requestLog.slice(before).map((r) => `${r.method} ${r.path}`);
      const posts = after.filter((r) => r === `POST /channels/${dm.id}/messages`);
      assert.ok(posts.length >= 3, `two refusals, then the post: ${after.join(', ')}`);
      assert.deepEqual(
        after.filter((r) => r.startsWith('GET') && r.includes(`/channels/${dm.id}/messages`)),
        [],
        'no read of the channel: nothing can have been posted',
      );
      assert.equal(
        discord.messagesIn(dm.id).filter((m) => m.content.includes('restart the launcher')).length,
        1,
      );
    });
  });
});
