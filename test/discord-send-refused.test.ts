import assert from 'node:assert/strict';
import { signalAgentEvent } from '../src/temporal/support-client';
import { FakeDiscord, waitFor } from '../src/sandbox/discord';
import { FakeSupportWorld } from './fakes/support-activities';
import { danasMessage, stopCheckingTraffic, withDmWaitingForAgent } from './support/discord-conversation';

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

  afterEach(() => stopCheckingTraffic(discord));

  it('retry without reading the channel first, and post once', async () => {
    await withDmWaitingForAgent(discord, new FakeSupportWorld(), async ({ client, workflowId, dm }) => {
      const before = discord.requestLog.length;
      discord.failNext('POST', /\/messages$/, { status: 429, retryAfter: 0.2 });
      discord.failNext('POST', /\/messages$/, { status: 429, retryAfter: 0.2 });
      await signalAgentEvent(client, {
        workflowId,
        event: danasMessage('Please restart the launcher.'),
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
