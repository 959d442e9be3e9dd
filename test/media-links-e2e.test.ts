import assert from 'node:assert/strict';
import { supportWorkflowId } from '../src/shared/support-types';
import {
  getConversationState,
  openSupportConversation,
  sendUserAction,
} from '../src/temporal/support-client';
import { QUIET_TIMINGS } from './support/conversation-helpers';
import { eventually } from './support/e2e/flexcord-system';
import { acmeWithAna, flexcordForEachTest, flexTaskOf } from './support/e2e/flexcord-per-test';

/*
 * An agent's attachment, end to end through flexcord as production wires it (worker, webhooks and bot roles from
 * environment configuration, against the Discord and Twilio fakes): the agent sends an image in Flex, the user's
 * Discord message carries a link, and opening that link lands on the file's content at Twilio.
 */
describe('agent attachments reach Discord as working links', function () {
  this.timeout(90_000);
  const flexcord = flexcordForEachTest();

  it('the agent sends an image; the DM links to it; the link redirects to the file', async () => {
    const discord = await flexcord.startDiscord();
    const { acme, ana } = acmeWithAna(discord);
    const system = await flexcord.startSystem({ SUPPORT_AGENT_SLA_SECONDS: '3600' });
    const { twilio, ctx, config } = system;
    const client = ctx.client;
    const workflowId = supportWorkflowId(acme.guild.id, ana);

    // Opened and handed over through the workflow's own messages (the bot's /helpme path is covered by e2e.test.ts).
    await openSupportConversation(client, {
      taskQueue: config.temporal.taskQueue,
      input: {
        user: { guildId: acme.guild.id, userId: ana, userName: 'ana' },
        timings: QUIET_TIMINGS,
        preferThread: false,
      },
    });
    await sendUserAction(client, { workflowId, signal: 'requestHuman', event: { eventId: 'rh-media' } });
    const conversationSid = (await flexTaskOf(twilio, workflowId)).attributes.conversationSid as string;
    await twilio.agentAccepts(conversationSid, { identity: 'alice_40example_2Ecom', name: 'Alice Example' });
    await eventually(async () =>
      assert.equal((await getConversationState(client, workflowId)).phase, 'with_agent'),
    );

    const image = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 1, 2, 3, 4]);
    const reply = await twilio.agentReplies(conversationSid, 'This is where the setting is:', {
      media: [{ filename: 'settings.png', contentType: 'image/png', content: image }],
    });
    const [stored] = twilio.mediaOf(reply.sid);
    assert.ok(stored);

    // The user's DM: the agent's text and a link to the image on flexcord's public URL (never Twilio's own URL,
    // which would ask the user for Twilio credentials).
    const dm = discord.dmChannelFor(ana);
    const message = await discord.waitForMessage(
      dm.id,
      (m) => /This is where the setting is/.test(m.content ?? ''),
      20_000,
    );
    const link = /\[settings\.png\]\((?<url>[^)\s]+)\)/.exec(message.content ?? '')?.groups?.url;
    assert.ok(link, `a link to settings.png in: ${message.content}`);
    assert.ok(
      link.startsWith(`${config.http.publicBaseUrl}/media/twilio/${twilio.serviceSid}/${stored.sid}?`),
      link,
    );

    // Opening it: a redirect to Twilio's short-lived direct URL, which serves the bytes the agent sent.
    const redirect = await fetch(link, { redirect: 'manual' });
    assert.equal(redirect.status, 302);
    assert.ok(redirect.headers.get('location')!.startsWith(`${twilio.url}/media.us1/${stored.sid}?`));
    const file = await fetch(link);
    assert.equal(file.status, 200);
    assert.equal(file.headers.get('content-type'), 'image/png');
    assert.deepEqual(Buffer.from(await file.arrayBuffer()), image);

    // A tampered link opens nothing.
    const tampered = link.replace(/sig=[^&]+/, `sig=${'A'.repeat(43)}`);
    assert.equal((await fetch(tampered, { redirect: 'manual' })).status, 403);
    assert.deepEqual(twilio.specViolations, []);
  });
});
