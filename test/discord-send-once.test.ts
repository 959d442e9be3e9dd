import assert from 'node:assert/strict';
import { signalAgentEvent } from '../src/temporal/support-client';
import { FakeDiscord, waitFor } from '../src/sandbox/discord';
import { FakeSupportWorld } from './fakes/support-activities';
import { eventually } from './support/conversation-helpers';
import { danasMessage, stopCheckingTraffic, withDmWaitingForAgent } from './support/discord-conversation';
import { recordHistory } from './support/histories';

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

  afterEach(() => stopCheckingTraffic(discord));

  it('posts each part of a long agent message once when an answer is lost and Discord is down past the window', async () => {
    await withDmWaitingForAgent(discord, new FakeSupportWorld(), async ({ client, workflowId, dm }) => {
      // Three lines that Discord's 2000-character limit splits into three messages.
      const text = ['alpha', 'bravo', 'delta'].map((w) => Array(300).fill(w).join(' ')).join('\n');
      // The second part lands, but its answer is lost; then Discord is down for longer than the nonce window.
      discord.loseNextAnswer('POST', /\/messages$/, (body) => String(body.content).startsWith('bravo'));
      await signalAgentEvent(client, {
        workflowId,
        event: danasMessage(text),
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
