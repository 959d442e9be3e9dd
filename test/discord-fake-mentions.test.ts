import assert from 'node:assert/strict';
import { ChannelType, InteractionResponseType, MessageFlags, Routes } from 'discord-api-types/v10';
import { type REST } from '@discordjs/rest';
import { createDiscordRest } from '../src/activities/discord/discord-rest-port';
import { FakeDiscord, type FakeMessage } from '../src/sandbox/discord';
import { newChannel } from '../src/sandbox/discord/model';

/** The Discord fake must notify exactly whom Discord would, or the "relayed text never pings" tests prove nothing. */
describe('Discord fake: who a message notifies (allowed-mentions rules)', () => {
  let discord: FakeDiscord;
  let rest: REST;
  let channelId: string;
  let roleId: string;
  let ana: string;
  let bo: string;
  let hostile: string;

  beforeEach(async () => {
    discord = await new FakeDiscord({ rateLimits: [] }).start();
    const made = discord.addGuild('Acme');
    const guildId = made.guild.id;
    channelId = made.supportChannel.id;
    roleId = discord.addRole(guildId, 'players');
    ana = discord.addUser('ana').id;
    bo = discord.addUser('bo').id;
    discord.addMember(guildId, ana);
    discord.addMember(guildId, bo);
    hostile = `@everyone @here <@&${roleId}> <@${ana}> <@!${bo}>`;
    rest = createDiscordRest({ token: discord.token, apiUrl: discord.apiUrl });
  });
  afterEach(async () => {
    assert.deepEqual(discord.checker.violations, [], 'every request and response matches the OpenAPI spec');
    await discord.stop();
  });

  const post = async (body: Record<string, unknown>, to = channelId) =>
    (await rest.post(Routes.channelMessages(to), { body })) as FakeMessage;
  const pings = (m: FakeMessage) => discord.mentionLog.get(m.id)!.pings;

  it('without allowed_mentions, every mention in the content notifies, and the message says so', async () => {
    const m = await post({ content: hostile });
    assert.deepEqual(pings(m), { everyone: true, roles: [roleId], users: [ana, bo] });
    assert.equal(m.mention_everyone, true);
    assert.deepEqual(m.mention_roles, [roleId]);
    assert.deepEqual(
      m.mentions.map((u) => u.id),
      [ana, bo],
    );
    assert.equal(discord.mentionLog.get(m.id)!.allowedMentions, undefined);
  });

  it('parse: [] silences everything; listed ids notify only when written in the content', async () => {
    const silent = await post({ content: hostile, allowed_mentions: { parse: [] } });
    assert.deepEqual(pings(silent), { everyone: false, roles: [], users: [] });
    assert.deepEqual(discord.mentionLog.get(silent.id)!.allowedMentions, { parse: [] });

    const one = await post({ content: hostile, allowed_mentions: { parse: [], users: [bo] } });
    assert.deepEqual(pings(one), { everyone: false, roles: [], users: [bo] });
    const phantom = await post({ content: 'no mention here', allowed_mentions: { users: [bo] } });
    assert.deepEqual(pings(phantom).users, [], 'no phantom ping');

    const everyoneOnly = await post({ content: hostile, allowed_mentions: { parse: ['everyone'] } });
    assert.deepEqual(pings(everyoneOnly), { everyone: true, roles: [], users: [] });
  });

  it('embeds never notify; a contradictory allowed_mentions is a 400 and posts nothing', async () => {
    const m = await post({ embeds: [{ title: hostile, description: hostile, footer: { text: hostile } }] });
    assert.deepEqual(pings(m), { everyone: false, roles: [], users: [] });
    const before = discord.messagesIn(channelId).length;
    await assert.rejects(
      post({ content: hostile, allowed_mentions: { parse: ['users'], users: [ana] } }),
      /mutually exclusive/,
    );
    assert.equal(discord.messagesIn(channelId).length, before);
  });

  it('in a DM only the other participant can be notified; no @everyone or roles there', async () => {
    const dm = discord.addChannel(newChannel({ type: ChannelType.DM, recipientId: ana }));
    const m = await post({ content: hostile }, dm.id);
    assert.deepEqual(pings(m), { everyone: false, roles: [], users: [ana] });
  });

  it('interaction replies parse user mentions only, unless allowed_mentions says otherwise', async () => {
    const interaction = discord.runSlashCommand(ana, channelId, 'anything');
    await rest.post(Routes.interactionCallback(interaction.id, interaction.token), {
      body: { type: InteractionResponseType.DeferredChannelMessageWithSource },
      auth: false,
    });
    const reply = (await rest.patch(Routes.webhookMessage(discord.applicationId, interaction.token), {
      body: { content: hostile },
      auth: false,
    })) as FakeMessage;
    assert.deepEqual(pings(reply), { everyone: false, roles: [], users: [ana, bo] });
    const followUp = (await rest.post(Routes.webhook(discord.applicationId, interaction.token), {
      body: { content: hostile, flags: MessageFlags.Ephemeral, allowed_mentions: { parse: [] } },
      auth: false,
    })) as FakeMessage;
    assert.deepEqual(pings(followUp), { everyone: false, roles: [], users: [] });
  });
});
