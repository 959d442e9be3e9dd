import assert from 'node:assert/strict';
import { type FakeDiscord, type FakeMessage } from '../../../src/sandbox/discord';
import { botMessagesAfter, flexTaskOf } from './flexcord-per-test';
import { eventually, type FlexcordSystem } from './flexcord-system';

/** What a Discord message shows: its text and its embeds' titles and descriptions. */
export const visible = (m: FakeMessage) =>
  [m.content ?? '', ...(m.embeds ?? []).flatMap((e) => [e.title ?? '', e.description ?? ''])].join('\n');

/**
 * One conversation that gives every role something to count, as the metrics tests need: `userId` gets a
 * knowledge-base answer, then a miss, asks for a person from the answer's button; Alice accepts and replies, and
 * the user's thanks reach Flex. With `rateLimited`, Discord answers the agent's relay and Twilio the user's thanks
 * with a 429 once, so each relay is tried again.
 */
export async function conversationThroughEveryRole(
  discord: FakeDiscord,
  system: FlexcordSystem,
  guildId: string,
  userId: string,
  options: { rateLimited?: boolean } = {},
): Promise<void> {
  const dm = discord.dmChannelFor(userId);
  const fromBot = botMessagesAfter(discord);
  const question = discord.userSendsDm(userId, 'The game crashes on startup, what can I do?');
  const answer = await discord.waitForMessage(
    dm.id,
    (m) => fromBot(question)(m) && (m.embeds?.length ?? 0) > 0,
    20_000,
  );
  const gibberish = discord.userSendsDm(userId, 'zzqx vlorp');
  await discord.waitForMessage(
    dm.id,
    (m) => fromBot(gibberish)(m) && /couldn't find a good answer/.test(visible(m)),
  );
  await discord.waitForReply(discord.pressButton(userId, answer, 'fc:request_human'));
  const task = await flexTaskOf(system.twilio, `support-${guildId}-${userId}`);
  const conversationSid = task.attributes.conversationSid as string;
  await system.twilio.agentAccepts(conversationSid, { identity: 'alice', name: 'Alice' });
  if (options.rateLimited)
    discord.failNext('POST', /\/channels\/\d+\/messages$/, { status: 429, retryAfter: 0.05 });
  await system.twilio.agentReplies(conversationSid, 'Please update your graphics driver.');
  await discord.waitForMessage(dm.id, (m) => /update your graphics driver/.test(visible(m)));
  if (options.rateLimited)
    system.twilio.fail({ match: { method: 'POST', path: /\/Messages$/ }, status: 429, retryAfterSeconds: 1 });
  discord.userSendsDm(userId, 'Thanks, that worked');
  const conversation = system.twilio.conversation(conversationSid);
  // Up to 30 s: a rate-limited relay waits a second before its next try, longer on a loaded machine.
  await eventually(() => assert.equal(conversation.messages.at(-1)?.body, 'Thanks, that worked'), 30_000);
}
