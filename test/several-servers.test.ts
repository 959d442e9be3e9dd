import assert from 'node:assert/strict';
import { decodeCustomId, encodeCustomId } from '../src/shared/discord-custom-ids';
import { SUPPORT_WORKFLOW_TYPE } from '../src/shared/support-messages';
import { supportWorkflowId } from '../src/shared/support-types';
import { getConversationState } from '../src/temporal/support-client';
import { FakeDiscord, type FakeMessage } from '../src/sandbox/discord';
import { eventually, type FlexcordSystem, startFlexcordSystem } from './support/e2e/flexcord-system';

/** Every component of a message, flattened: buttons and select menus with their custom ids. */
function components(
  m: FakeMessage,
): { type: number; custom_id?: string; options?: { value: string; label: string }[] }[] {
  const out: { type: number; custom_id?: string; options?: { value: string; label: string }[] }[] = [];
  const visit = (c: unknown) => {
    if (!c || typeof c !== 'object') return;
    const rec = c as { type: number; custom_id?: string; components?: unknown[] };
    if (rec.custom_id) out.push(rec as (typeof out)[0]);
    rec.components?.forEach(visit);
  };
  (m.components ?? []).forEach(visit);
  return out;
}

const buttonIds = (m: FakeMessage) =>
  components(m)
    .filter((c) => c.type === 2)
    .map((c) => c.custom_id!);

/** The user's signals a conversation received, by name, from its history. */
async function signalsOf(system: FlexcordSystem, workflowId: string): Promise<string[]> {
  const history = await system.ctx.client.workflow.getHandle(workflowId).fetchHistory();
  return (history.events ?? [])
    .map((e) => e.workflowExecutionSignaledEventAttributes?.signalName)
    .filter((n): n is string => !!n);
}

/*
 * One Discord user, two servers with flexcord, one DM channel with the bot: one conversation per server. The whole
 * of flexcord on the dev server against the Discord and Twilio fakes.
 */
describe('one user in several servers', function () {
  this.timeout(120_000);
  let discord: FakeDiscord;
  let system: FlexcordSystem | undefined;

  afterEach(async () => {
    await system?.stop();
    system = undefined;
    if (!(discord as FakeDiscord | undefined)) return; // the test of ids alone starts nothing
    assert.deepEqual(discord.checker.violations, []);
    assert.deepEqual(discord.unhandled, []);
    await discord.stop();
  });

  it('names the conversation in button ids, and still reads ids posted before they did', () => {
    const conversation = { guildId: '100000000000000001', userId: '200000000000000002' };
    for (const id of [
      { kind: 'request_human', conversation },
      { kind: 'close', conversation },
      { kind: 'rating', rating: 4, conversation },
    ] as const) {
      const raw = encodeCustomId(id);
      assert.ok(raw.length <= 100, 'Discord allows 100 characters');
      assert.deepEqual(decodeCustomId(raw), id);
    }
    // Ids already posted in Discord by older versions keep working, without a conversation.
    assert.deepEqual(decodeCustomId('fc:request_human'), { kind: 'request_human' });
    assert.deepEqual(decodeCustomId('fc:close'), { kind: 'close' });
    assert.deepEqual(decodeCustomId('fc:rating:5'), { kind: 'rating', rating: 5 });
    assert.equal(decodeCustomId('fc:close:not-an-id:2'), undefined);
  });

  it('asks which server a DM is for, and buttons reach the conversation they belong to', async () => {
    discord = await new FakeDiscord().start();
    const acme = discord.addGuild('Acme');
    const beta = discord.addGuild('Beta');
    const ana = discord.addUser('ana').id;
    discord.addMember(acme.guild.id, ana);
    discord.addMember(beta.guild.id, ana);
    system = await startFlexcordSystem(discord);
    const client = system.ctx.client;
    const acmeId = supportWorkflowId(acme.guild.id, ana);
    const betaId = supportWorkflowId(beta.guild.id, ana);
    const dm = discord.dmChannelFor(ana);
    const fromBot = (after?: FakeMessage) => (m: FakeMessage) =>
      m.author.id === discord.botUser.id && (!after || BigInt(m.id) > BigInt(after.id));

    // /helpme in each server: two conversations, both greeting in the one DM channel.
    for (const g of [acme, beta])
      await discord.waitForReply(discord.runSlashCommand(ana, g.supportChannel.id, 'helpme'));
    const greetings = await eventually(() => {
      const found = discord.messagesIn(dm.id).filter((m) => /I'm the support bot/.test(m.content));
      assert.equal(found.length, 2);
      return found;
    });
    // Each greeting's button names its own conversation.
    const ids = greetings.map((m) => buttonIds(m)[0]!);
    assert.notEqual(ids[0], ids[1]);
    assert.ok(ids.some((id) => id.includes(acme.guild.id) && id.includes(ana)));
    assert.ok(ids.some((id) => id.includes(beta.guild.id) && id.includes(ana)));
    const query = `WorkflowType = '${SUPPORT_WORKFLOW_TYPE}' AND ExecutionStatus = 'Running' AND DiscordUserId = '${ana}'`;
    await eventually(async () => {
      const found: string[] = [];
      for await (const w of client.workflow.list({ query })) found.push(w.workflowId);
      assert.deepEqual(found.sort(), [acmeId, betaId].sort());
    });

    // A DM does not say which server it is about: the bot asks, with a select menu naming both.
    const question = discord.userSendsDm(ana, 'How do I get a refund for gems?');
    const prompt = await discord.waitForMessage(
      dm.id,
      (m) => fromBot(question)(m) && components(m).some((c) => c.type === 3),
    );
    const menu = components(prompt).find((c) => c.type === 3)!;
    assert.deepEqual(menu.options!.map((o) => o.label).sort(), ['Acme', 'Beta']);
    const picked = await discord.waitForReply(
      discord.chooseFromSelect(ana, prompt, menu.custom_id!, [beta.guild.id]),
    );
    assert.match(FakeDiscord.replyText(picked) + (prompt.content ?? ''), /Beta/);

    // Beta's conversation answers; Acme's never heard the question.
    const answer = await discord.waitForMessage(
      dm.id,
      (m) => fromBot(prompt)(m) && buttonIds(m).some((id) => id.includes(beta.guild.id)),
      20_000,
    );
    assert.ok((await signalsOf(system, betaId)).includes('userMessage'));
    assert.ok(!(await signalsOf(system, acmeId)).includes('userMessage'));

    // "Talk to a human" under Beta's answer moves Beta's conversation, not Acme's.
    const human = buttonIds(answer).find((id) => id.startsWith('fc:request_human'))!;
    await discord.waitForReply(discord.pressButton(ana, answer, human));
    await eventually(async () =>
      assert.equal((await getConversationState(client, betaId)).phase, 'waiting_for_agent'),
    );
    assert.equal((await getConversationState(client, acmeId)).phase, 'bot');

    // A button from before buttons named their conversation cannot tell which one it meant: nothing is guessed.
    const old = await discord.waitForReply(discord.pressButton(ana, greetings[0]!, 'fc:close'));
    assert.match(FakeDiscord.replyText(old), /\/close in the server/);
    assert.equal((await getConversationState(client, acmeId)).phase, 'bot');
    assert.equal((await getConversationState(client, betaId)).phase, 'waiting_for_agent');
  });
});
