import assert from 'node:assert/strict';
import { ChannelType } from 'discord-api-types/v10';
import { createDiscordActivities } from '../src/activities/discord/activities';
import { createDiscordRest, DiscordRestPort } from '../src/activities/discord/discord-rest-port';
import { announcementDedupeKey, announcementEmbed } from '../src/activities/feeds/announcement';
import { toFeedItem } from '../src/activities/feeds/rss-feed-reader';
import type { ReportState } from '../src/shared/report-types';
import type { DiscordChannelRef } from '../src/shared/support-types';
import { FakeDiscord } from '../src/sandbox/discord';
import { newChannel } from '../src/sandbox/discord/model';
import { closedNotice } from '../src/workflows/reports/notices';
import { staffReminder } from '../src/workflows/reports/reminders';
import { agentJoined } from '../src/workflows/support/wording';

/**
 * Text flexcord did not write (agent replies and names, knowledge-base articles, report titles, feed items) must
 * never notify anyone: every post carries allowed_mentions, and the Discord fake works out who Discord would notify.
 */
describe('relayed text never pings (worker posts, Discord fake)', () => {
  let discord: FakeDiscord;
  let activities: ReturnType<typeof createDiscordActivities>;
  let port: DiscordRestPort;
  let guildId: string;
  let ana: string;
  let hostile: string;

  beforeEach(async () => {
    discord = await new FakeDiscord({ rateLimits: [] }).start();
    const made = discord.addGuild('Acme');
    guildId = made.guild.id;
    const roleId = discord.addRole(guildId, 'players');
    ana = discord.addUser('ana').id;
    const bo = discord.addUser('bo').id;
    discord.addMember(guildId, ana);
    discord.addMember(guildId, bo);
    hostile = `@everyone @here <@&${roleId}> <@${ana}> <@!${bo}>`;
    port = new DiscordRestPort(createDiscordRest({ token: discord.token, apiUrl: discord.apiUrl }));
    activities = createDiscordActivities(port);
  });

  afterEach(async () => {
    assert.deepEqual(discord.checker.violations, [], 'every request and response matches the OpenAPI spec');
    assert.deepEqual(discord.unhandled, []);
    await discord.stop();
  });

  /** Every message the bot posted sets allowed_mentions and notifies nobody. */
  function assertNobodyPinged(expectedMessages: number): void {
    const posted = [...discord.messages.values()].flat().filter((m) => m.author.id === discord.botUser.id);
    assert.equal(posted.length, expectedMessages);
    for (const m of posted) {
      const record = discord.mentionLog.get(m.id);
      assert.ok(record?.allowedMentions, `message ${JSON.stringify(m.content)} sets allowed_mentions`);
      assert.deepEqual(
        record.pings,
        { everyone: false, roles: [], users: [] },
        `nobody pinged by ${m.content}`,
      );
    }
  }

  const conversation = async (preferThread: boolean): Promise<DiscordChannelRef> =>
    activities.openSupportChannel({ user: { guildId, userId: ana, userName: 'ana' }, preferThread });

  for (const preferThread of [false, true]) {
    const where = preferThread ? 'private thread' : 'DM';

    it(`agent replies, agent names and attachment names (${where})`, async () => {
      const channel = await conversation(preferThread);
      await activities.sendToDiscord({
        channel,
        dedupeKey: 'agent-1',
        kind: 'agent_message',
        agentName: hostile,
        text: hostile,
        attachments: [{ url: 'https://media.example/x', name: hostile }],
      });
      await activities.sendToDiscord({
        channel,
        dedupeKey: 'joined-1',
        kind: 'notice',
        text: agentJoined(hostile),
        buttons: ['close'],
      });
      assertNobodyPinged(2);
    });

    it(`knowledge-base titles and excerpts, and a long relayed text split in parts (${where})`, async () => {
      const channel = await conversation(preferThread);
      await activities.sendToDiscord({
        channel,
        dedupeKey: 'answer-1',
        kind: 'bot_answer',
        text: `${hostile} `.repeat(30),
        articles: [{ id: 'a.md', title: hostile, excerpt: hostile, url: 'https://kb.example/a', score: 9 }],
        buttons: ['request_human'],
      });
      assertNobodyPinged(2);
    });
  }

  it('report titles in the reporter DM and in the staff follow-up channel', async () => {
    const staffChannel = discord.addChannel(
      newChannel({ type: ChannelType.GuildText, guildId, name: 'case-followup' }),
    );
    const state: ReportState = {
      caseNumber: 1042,
      type: 'bug',
      phase: 'open',
      guildId,
      reporter: { discordId: ana, name: hostile },
      title: hostile,
      priority: 'normal',
      duplicates: [],
    };
    const dm = await activities.sendDirectMessage({
      userId: ana,
      dedupeKey: 'closed-1042',
      text: closedNotice(state, 1042, 'resolved', hostile),
    });
    assert.equal(dm.delivered, true);
    const posted = await activities.postGuildChannelNotice({
      guildId,
      channelName: 'case-followup',
      dedupeKey: 'reminder-1042',
      embed: staffReminder(state, 1042, { since: Date.now(), reminders: 0 }, 3_600_000),
    });
    assert.equal(posted.posted, true);
    assert.equal(discord.messagesIn(staffChannel.id).length, 1);
    assertNobodyPinged(2);
  });

  it('feed items in the announcements channel', async () => {
    const channel = discord.addChannel(
      newChannel({ type: ChannelType.GuildAnnouncement, guildId, name: 'announcements' }),
    );
    const item = toFeedItem({
      title: hostile,
      contentSnippet: hostile,
      guid: 'g1',
      link: 'https://x.example/1',
    });
    await port.postAnnouncement({
      channelId: channel.id,
      dedupeKey: announcementDedupeKey('https://x.example/feed', item.id),
      embed: announcementEmbed(item, hostile),
    });
    assertNobodyPinged(1);
  });
});
