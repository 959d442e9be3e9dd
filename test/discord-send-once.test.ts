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
import { recordHistory } from './support/histories';
import { withWorker } from './support/worker';

/*
 * Discord checks a message's nonce only for a few minutes, but relays retry for hours. The support workflow on the
 * dev server, with the real Discord activities (@discordjs/rest) against the fake, whose nonce window is one second.
 */
describe('Discord sends: posted once, even after the nonce window', function () {
  this.timeout(60_000);
  let discord: FakeDiscord;

  beforeEach(async () => {
    discord = await new FakeDiscord({ rateLimits: [], nonceWindowMs: 1000 }).start();
  });

  afterEach(async () => {
    assert.deepEqual(discord.checker.violations, []);
    assert.deepEqual(discord.unhandled, []);
    await discord.stop();
  });

  it('posts each part of a long agent message once when an answer is lost and Discord is down past the window', async () => {
    const client = testEnv().client;
    const guildId = discord.addGuild('Acme').guild.id;
    const ana = discord.addUser('ana');
    discord.addMember(guildId, ana.id);
    const port = new DiscordRestPort(createDiscordRest({ token: discord.token, apiUrl: discord.apiUrl }));
    const world = new FakeSupportWorld();
    const activities = { ...world.activities(), ...createDiscordActivities(port) };
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

      // Three lines that Discord's 2000-character limit splits into three messages.
      const text = ['alpha', 'bravo', 'delta'].map((w) => Array(300).fill(w).join(' ')).join('\n');
      // The second part lands, but its answer is lost; then Discord is down for longer than the nonce window.
      discord.loseNextAnswer('POST', /\/messages$/, (body) => String(body.content).startsWith('bravo'));
      await signalAgentEvent(client, {
        workflowId,
        event: {
          kind: 'message',
          eventId: 'IM0001',
          agentIdentity: 'dana',
          agentName: 'Dana',
          text,
          attachments: [],
          sentAt: new Date().toISOString(),
        },
      });
      await waitFor(
        () => discord.messagesIn(dm.id).some((m) => m.content.startsWith('bravo')),
        10_000,
        'part 2',
      );
      discord.outage = true;
      await new Promise((r) => setTimeout(r, 2500));
      discord.outage = false;

      const parts = () =>
        discord
          .messagesIn(dm.id)
          .map((m) => m.content)
          .filter((c) => /alpha|bravo|delta/.test(c))
          .map((c) => c.replace(/^\*\*Dana\*\* \(support\): /, '').split(' ')[0]);
      await eventually(() => assert.ok(parts().includes('delta')));
      // Give a wrongly retried part time to show up twice.
      await new Promise((r) => setTimeout(r, 1500));
      assert.deepEqual(parts(), ['alpha', 'bravo', 'delta'], 'each part once, in order');
      await recordHistory(client, workflowId, 'support-send-parts-v1');
    });
  });
});
