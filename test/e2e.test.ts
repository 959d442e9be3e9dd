import assert from 'node:assert/strict';
import { ChannelType, InteractionResponseType } from 'discord-api-types/v10';
import { openCaseStore } from '../src/cases';
import { SUPPORT_WORKFLOW_TYPE } from '../src/shared/support-messages';
import { supportWorkflowId } from '../src/shared/support-types';
import { getConversationState } from '../src/temporal/support-client';
import { FakeDiscord, type FakeMessage } from '../src/sandbox/discord';
import { opaqueCustomerIdentity } from '../src/activities/twilio/identity';
import {
  E2E_IDENTITY_SECRET,
  eventually,
  type FlexcordSystem,
  startFlexcordSystem,
} from './support/e2e/flexcord-system';

/** How the system names a Discord user in Twilio. */
const customer = opaqueCustomerIdentity(E2E_IDENTITY_SECRET);

/*
 * The whole of flexcord on the real Temporal dev server, with no stand-ins for our own code: the worker, webhooks
 * and bot roles started by their production starters from environment configuration, talking to the local Discord
 * fake (REST and gateway) and the local Twilio fake (REST and signed webhooks), with the SQLite case store in a
 * temporary directory and the real knowledge base. The test plays the user in Discord and the agent in Flex.
 */

/** Everything a user sees in a message: its text, embed titles/descriptions/authors, and button ids. */
function visible(m: FakeMessage): string {
  return [
    m.content ?? '',
    ...(m.embeds ?? []).flatMap((e) => [e.author?.name ?? '', e.title ?? '', e.description ?? '']),
  ].join('\n');
}

function buttonIds(m: FakeMessage): string[] {
  const ids: string[] = [];
  const visit = (c: unknown) => {
    if (!c || typeof c !== 'object') return;
    const rec = c as { custom_id?: string; components?: unknown[] };
    if (rec.custom_id) ids.push(rec.custom_id);
    rec.components?.forEach(visit);
  };
  (m.components ?? []).forEach(visit);
  return ids;
}

/** On failure: what each side saw, so a red run explains itself without re-running with logs. */
function dumpForDiagnosis(discord: FakeDiscord, system: FlexcordSystem): void {
  const dms = [...discord.channels.values()].filter((c) => c.type === 1);
  for (const c of dms) {
    console.error(`DM ${c.id}:`);
    for (const m of discord.messagesIn(c.id))
      console.error(`  ${m.author.username}: ${visible(m).replace(/\n/g, ' | ')}`);
  }
  console.error(
    'Discord writes:',
    discord.requestLog.filter((r) => r.method !== 'GET').map((r) => `${r.method} ${r.path}`),
  );
  console.error(
    'Twilio webhooks:',
    system.twilio.deliveries.map((d) => `${d.params.EventType} → ${d.outcome}`),
  );
}

describe('flexcord end to end: Discord user ⇄ bot, worker, webhooks ⇄ Flex agent', function () {
  this.timeout(120_000);
  let discord: FakeDiscord;
  let system: FlexcordSystem | undefined;

  afterEach(async function () {
    if (this.currentTest?.state === 'failed' && system) dumpForDiagnosis(discord, system);
    await system?.stop();
    system = undefined;
    // Every REST call the bot and the worker made matched Discord's OpenAPI spec, and the fake understood it.
    assert.deepEqual(discord.checker.violations, []);
    assert.deepEqual(discord.unhandled, []);
    await discord.stop();
  });

  it('answers from the knowledge base, hands over to an agent, relays both ways, closes and records the rating', async () => {
    discord = await new FakeDiscord().start();
    // Two servers and no DISCORD_GUILD_ID: a DM does not say which server it is about, so the bot must find the
    // user's running conversation through Temporal visibility (temporalConversations.runningConversationGuild).
    const acme = discord.addGuild('Acme');
    discord.addGuild('Other game');
    const ana = discord.addUser('ana').id;
    discord.addMember(acme.guild.id, ana);
    system = await startFlexcordSystem(discord, {
      SUPPORT_AGENT_SLA_SECONDS: '3600',
      SUPPORT_INACTIVITY_SECONDS: '3600',
      SUPPORT_INACTIVITY_REMINDER_SECONDS: '3000',
    });
    const { twilio, ctx } = system;
    const client = ctx.client;
    const workflowId = supportWorkflowId(acme.guild.id, ana);
    const dm = discord.dmChannelFor(ana);
    const since = (after: FakeMessage | undefined) => (m: FakeMessage) =>
      m.author.id === discord.botUser.id && (!after || BigInt(m.id) > BigInt(after.id));

    // Without a conversation the bot cannot tell which server a DM is about, and says so.
    const early = discord.userSendsDm(ana, 'hello?');
    await discord.waitForMessage(dm.id, (m) => since(early)(m) && /run \/helpme/.test(visible(m)));

    // /helpme in Acme opens the conversation (update-with-start) and links the DM.
    const helpme = await discord.waitForReply(discord.runSlashCommand(ana, acme.supportChannel.id, 'helpme'));
    assert.match(FakeDiscord.replyText(helpme), /private support conversation in your DMs/);
    const query = `WorkflowType = '${SUPPORT_WORKFLOW_TYPE}' AND ExecutionStatus = 'Running' AND DiscordUserId = '${ana}'`;
    // Visibility is eventually consistent; the bot's lookup is only expected to work once the server lists it.
    await eventually(async () => {
      const found: string[] = [];
      for await (const w of client.workflow.list({ query })) found.push(w.workflowId);
      assert.deepEqual(found, [workflowId]);
    });

    // The user asks in the DM: the bot routes it to the Acme conversation and answers with help articles.
    const question = discord.userSendsDm(ana, 'The game crashes on startup, what can I do?');
    const answer = await discord.waitForMessage(
      dm.id,
      (m) => since(question)(m) && (m.embeds?.length ?? 0) > 0,
      20_000,
    );
    assert.match(visible(answer), /These articles look like a match/);
    assert.match(visible(answer), /crash/i, 'the crash article is among the suggestions');
    // The button names its conversation: the user's DM channel may carry conversations of other servers too.
    const humanButton = `fc:request_human:${acme.guild.id}:${ana}`;
    assert.ok(buttonIds(answer).includes(humanButton));

    // "Talk to a human": the case opens and the user hears its number.
    const press = await discord.waitForReply(discord.pressButton(ana, answer, humanButton));
    assert.match(FakeDiscord.replyText(press), /Asking a human to join/);
    const opened = await discord.waitForMessage(
      dm.id,
      (m) => since(question)(m) && /Case #\d+ opened/.test(visible(m)),
    );
    const caseNumber = Number(/Case #(\d+)/.exec(visible(opened))![1]);

    // Flex has the conversation and a task that points back at this workflow and case.
    const task = await eventually(() => {
      const t = [...twilio.tasks.values()].find((x) => x.attributes.flexcordWorkflowId === workflowId);
      assert.ok(t, 'a Flex task for the workflow');
      return t;
    });
    const conversationSid = task.attributes.conversationSid as string;
    const conversation = twilio.conversation(conversationSid);
    await eventually(async () =>
      assert.equal((await getConversationState(client, workflowId)).phase, 'waiting_for_agent'),
    );

    // What the user writes while waiting reaches the Flex conversation as the customer.
    discord.userSendsDm(ana, 'I already reinstalled it twice.');
    await eventually(() =>
      assert.deepEqual(
        conversation.messages.map((m) => [m.author, m.body]),
        [[customer(ana), 'I already reinstalled it twice.']],
      ),
    );

    // The agent accepts; the user is told who joined. The participant webhook and TaskRouter's reservation.accepted
    // race (as they do at Twilio): the full name comes from TaskRouter, the login's local part from the participant,
    // and the agent's email address is never shown either way.
    await twilio.agentAccepts(conversationSid, { identity: 'alice_40example_2Ecom', name: 'Alice Example' });
    const joined = await discord.waitForMessage(dm.id, (m) =>
      /from the support team joined/.test(visible(m)),
    );
    assert.match(visible(joined), /^(Alice Example|alice) from the support team joined/);

    // The agent's reply arrives in the DM with the agent's name.
    await twilio.agentReplies(conversationSid, 'Please update your graphics driver and try again.');
    await discord.waitForMessage(
      dm.id,
      (m) => /Alice Example/.test(visible(m)) && /update your graphics driver/.test(visible(m)),
    );

    // The user writes back; it reaches the agent.
    const thanks = discord.userSendsDm(ana, 'That fixed it, thank you!');
    await eventually(() =>
      assert.deepEqual(
        conversation.messages.at(-1) && [
          conversation.messages.at(-1)!.author,
          conversation.messages.at(-1)!.body,
        ],
        [customer(ana), 'That fixed it, thank you!'],
      ),
    );

    // The agent closes in Flex: the user learns how to come back, then gets the rating prompt, and rates 5.
    await twilio.agentCloses(conversationSid);
    await discord.waitForMessage(
      dm.id,
      (m) => since(thanks)(m) && new RegExp(`case #${caseNumber}\\).*Use /helpme`).test(visible(m)),
    );
    const prompt = await discord.waitForMessage(
      dm.id,
      (m) => since(thanks)(m) && buttonIds(m).includes(`fc:rating:5:${acme.guild.id}:${ana}`),
    );
    assert.match(visible(prompt), /How did we do/);
    const rate = await discord.waitForReply(
      discord.pressButton(ana, prompt, `fc:rating:5:${acme.guild.id}:${ana}`),
    );
    assert.equal(rate.callback!.type, InteractionResponseType.DeferredChannelMessageWithSource);
    assert.match(FakeDiscord.replyText(rate), /Thanks for rating us 5\/5/);

    // The case in the store: closed with the reason, both directions of the talk, and the rating.
    const cases = await openCaseStore(system.config);
    try {
      const detail = await eventually(async () => {
        const c = await cases.store.getCase(caseNumber);
        assert.ok(c);
        assert.equal(c.status, 'closed');
        assert.equal(c.rating, 5);
        return c;
      });
      assert.ok(['agent_closed', 'task_completed'].includes(detail.closeReason ?? ''), detail.closeReason);
      assert.equal(detail.twilio.conversationSid, conversationSid);
      const lines = detail.transcript.map((e) => `${e.direction}/${e.authorKind}: ${e.text}`);
      for (const expected of [
        'inbound/user: I already reinstalled it twice.',
        'outbound/agent: Please update your graphics driver and try again.',
        'inbound/user: That fixed it, thank you!',
      ]) {
        assert.ok(lines.includes(expected), `transcript has "${expected}":\n${lines.join('\n')}`);
      }
      assert.ok(
        lines.some((l) => l.startsWith('inbound/user: The game crashes on startup')),
        `the question before the hand-over is kept:\n${lines.join('\n')}`,
      );
    } finally {
      await cases.close();
    }
    assert.equal(conversation.state, 'closed');
    assert.deepEqual(twilio.specViolations, []);
    assert.ok(
      twilio.deliveries.every((d) => d.outcome === 200 || d.outcome === 204),
      JSON.stringify(twilio.deliveries.map((d) => [d.params.EventType, d.outcome])),
    );
  });

  it('moves to a private support thread when the user does not accept DMs (50007), and hands over from there', async () => {
    discord = await new FakeDiscord().start();
    // One server: DMs would belong to it; this user's DMs are closed, so everything happens in a thread.
    const acme = discord.addGuild('Acme');
    const bo = discord.addUser('bo', { dmsClosed: true }).id;
    discord.addMember(acme.guild.id, bo);
    system = await startFlexcordSystem(discord);
    const { twilio, ctx } = system;
    const workflowId = supportWorkflowId(acme.guild.id, bo);

    // The /helpme reply waits for the greeting, which finds the DMs closed: it links the thread, not the DM.
    const helpme = await discord.waitForReply(discord.runSlashCommand(bo, acme.supportChannel.id, 'helpme'));
    // The greeting cannot reach the DM, so the conversation opens a private thread under #support with the user in it.
    const thread = await eventually(() => {
      const found = [...discord.channels.values()].find(
        (c) => c.parentId === acme.supportChannel.id && c.name === `help-bo-${bo}`,
      );
      assert.ok(found, 'a support thread for the user');
      return found;
    });
    assert.equal(thread.type, ChannelType.PrivateThread);
    await discord.waitForMessage(thread.id, (m) => /I'm the support bot/.test(visible(m)));
    assert.match(FakeDiscord.replyText(helpme), new RegExp(thread.id));
    assert.doesNotMatch(FakeDiscord.replyText(helpme), /in your DMs/);
    assert.ok(thread.threadMembers.has(bo), 'the user was added to the thread before the greeting');
    assert.deepEqual(
      discord.messagesIn(discord.dmChannelFor(bo).id),
      [],
      'nothing was delivered to the closed DMs',
    );

    // Asking for a person in words, in the thread, hands over just like the button.
    discord.userSendsInChannel(bo, thread.id, 'I want a real person please');
    const opened = await discord.waitForMessage(thread.id, (m) => /Case #\d+ opened/.test(visible(m)));
    const caseNumber = Number(/Case #(\d+)/.exec(visible(opened))![1]);
    const task = await eventually(() => {
      const t = [...twilio.tasks.values()].find((x) => x.attributes.flexcordWorkflowId === workflowId);
      assert.ok(t, 'a Flex task for the workflow');
      return t;
    });
    const conversationSid = task.attributes.conversationSid as string;

    await twilio.agentAccepts(conversationSid, { identity: 'sam_40example_2Ecom', name: 'Sam Agent' });
    await twilio.agentReplies(conversationSid, 'Hi Bo, how can I help?');
    await discord.waitForMessage(
      thread.id,
      (m) => /Sam Agent/.test(visible(m)) && /how can I help\?/.test(visible(m)),
    );
    discord.userSendsInChannel(bo, thread.id, 'My trade vanished.');
    const conversation = twilio.conversation(conversationSid);
    await eventually(() =>
      assert.deepEqual(conversation.messages.map((m) => [m.author, m.body]).at(-1), [
        customer(bo),
        'My trade vanished.',
      ]),
    );
    const state = await getConversationState(ctx.client, workflowId);
    assert.equal(state.phase, 'with_agent');
    const cases = await openCaseStore(system.config);
    try {
      const detail = await cases.store.getCase(caseNumber);
      assert.equal(detail?.status, 'in_progress');
    } finally {
      await cases.close();
    }
  });
});
