import assert from 'node:assert/strict';
import { ApplicationFailure } from '@temporalio/common';
import { ChannelType } from 'discord-api-types/v10';
import { createDiscordActivities } from '../src/activities/discord/activities';
import { createDiscordRest, DiscordRestPort } from '../src/activities/discord/discord-rest-port';
import { decodeCustomId } from '../src/shared/discord-custom-ids';
import { FakeDiscord } from '../src/sandbox/discord';
import { newChannel } from '../src/sandbox/discord/model';

describe('Discord activities (REST adapter against the local Discord fake)', () => {
  let discord: FakeDiscord;
  let activities: ReturnType<typeof createDiscordActivities>;
  let guildId: string;
  let supportChannelId: string;

  beforeEach(async () => {
    discord = await new FakeDiscord({ rateLimits: [] }).start();
    const { guild, supportChannel } = discord.addGuild('Acme');
    guildId = guild.id;
    supportChannelId = supportChannel.id;
    const rest = createDiscordRest({ token: discord.token, apiUrl: discord.apiUrl });
    activities = createDiscordActivities(new DiscordRestPort(rest));
  });

  afterEach(async () => {
    assert.deepEqual(discord.checker.violations, [], 'every request and response matches the OpenAPI spec');
    assert.deepEqual(discord.unhandled, []);
    await discord.stop();
  });

  const failureOf = async (p: Promise<unknown>): Promise<ApplicationFailure> => {
    try {
      await p;
    } catch (err) {
      assert.ok(err instanceof ApplicationFailure, `expected an ApplicationFailure, got ${String(err)}`);
      return err;
    }
    assert.fail('expected the activity to fail');
  };

  it('splits long text at word boundaries and never posts a retried send twice', async () => {
    const user = discord.addUser('ana');
    const channel = await activities.openSupportChannel({
      user: { guildId, userId: user.id, userName: 'ana' },
      preferThread: false,
    });
    assert.equal(channel.kind, 'dm');
    const words = Array.from({ length: 900 }, (_, i) => `word${i}`);
    const message = { channel, dedupeKey: 'answer-1', kind: 'bot_answer' as const, text: words.join(' ') };

    const first = await activities.sendToDiscord(message);
    const retried = await activities.sendToDiscord(message);

    assert.equal(first.messageIds.length, 4);
    assert.deepEqual(retried.messageIds, first.messageIds);
    const posted = discord.messagesIn(channel.channelId);
    assert.equal(posted.length, 4);
    for (const m of posted) assert.ok(m.content.length <= 2000);
    assert.deepEqual(
      posted.flatMap((m) => m.content.split(' ')),
      words,
      'no word cut or lost',
    );
  });

  it('shows articles as embeds, the agent name, attachments as links and typed buttons', async () => {
    const user = discord.addUser('bo');
    const channel = await activities.openSupportChannel({
      user: { guildId, userId: user.id, userName: 'bo' },
      preferThread: false,
    });
    await activities.sendToDiscord({
      channel,
      dedupeKey: 'a',
      kind: 'bot_answer',
      text: 'These may help:',
      articles: [
        {
          id: 'x.md',
          title: 'Reset your password',
          excerpt: 'e'.repeat(5000),
          url: 'https://help.example/x',
          score: 1,
        },
      ],
      buttons: ['request_human', 'close'],
    });
    await activities.sendToDiscord({
      channel,
      dedupeKey: 'b',
      kind: 'agent_message',
      agentName: 'Dana',
      text: 'Hi, I am here.',
      attachments: [{ url: 'https://cdn.example/log.txt', name: 'log.txt' }],
      buttons: ['rating'],
    });
    const [answer, agent] = discord.messagesIn(channel.channelId);
    assert.equal(answer!.embeds[0]!.title, 'Reset your password');
    assert.ok(answer!.embeds[0]!.description!.length <= 4096);
    const ids = (answer!.components ?? []).flatMap((row) =>
      'components' in row ? row.components.map((c) => ('custom_id' in c ? c.custom_id : '')) : [],
    );
    assert.deepEqual(ids.map(decodeCustomId), [{ kind: 'request_human' }, { kind: 'close' }]);
    assert.match(agent!.content, /^\*\*Dana\*\*/);
    assert.match(agent!.content, /\[log\.txt\]\(https:\/\/cdn\.example\/log\.txt\)/);
    assert.equal(
      agent!.components?.[0] && 'components' in agent!.components[0]
        ? agent!.components[0].components.length
        : 0,
      5,
    );
  });

  it('fails a DM to a user with closed DMs as non-retryable DiscordDmClosed', async () => {
    const user = discord.addUser('shy', { dmsClosed: true });
    const channel = await activities.openSupportChannel({
      user: { guildId, userId: user.id, userName: 'shy' },
      preferThread: false,
    });
    const failure = await failureOf(
      activities.sendToDiscord({ channel, dedupeKey: 'k', kind: 'notice', text: 'hello' }),
    );
    assert.equal(failure.type, 'DiscordDmClosed');
    assert.equal(failure.nonRetryable, true);
    assert.deepEqual(
      await activities.sendDirectMessage({ userId: user.id, dedupeKey: 'd', text: 'case update' }),
      {
        delivered: false,
      },
    );
  });

  it('opens one private thread in the support channel, with the user in it, however often it is asked', async () => {
    const user = discord.addUser('cy', { dmsClosed: true });
    const ref = { guildId, userId: user.id, userName: 'cy' };
    const first = await activities.openSupportChannel({ user: ref, preferThread: true });
    const again = await activities.openSupportChannel({ user: ref, preferThread: true });
    assert.equal(first.kind, 'thread');
    assert.equal(again.channelId, first.channelId);
    const thread = discord.channels.get(first.channelId)!;
    assert.equal(thread.type, ChannelType.PrivateThread);
    assert.equal(thread.parentId, supportChannelId);
    assert.ok(thread.threadMembers.has(user.id));
  });

  it('turns a 429 into a retryable failure that waits for Discord’s retry_after', async () => {
    const user = discord.addUser('dee');
    const channel = await activities.openSupportChannel({
      user: { guildId, userId: user.id, userName: 'dee' },
      preferThread: false,
    });
    discord.failNext('POST', /\/messages$/, { status: 429, retryAfter: 2 });
    const failure = await failureOf(
      activities.sendToDiscord({ channel, dedupeKey: 'r', kind: 'notice', text: 'hi' }),
    );
    assert.equal(failure.type, 'DiscordRateLimited');
    assert.notEqual(failure.nonRetryable, true);
    const delay = Number(failure.nextRetryDelay);
    assert.ok(delay >= 2000 && delay < 2500, `nextRetryDelay ${delay}`);
  });

  it('treats other 4xx as permanent and 5xx as retryable', async () => {
    const missing = await failureOf(
      activities.sendToDiscord({
        channel: { channelId: '1', kind: 'dm' },
        dedupeKey: 'm',
        kind: 'notice',
        text: 'x',
      }),
    );
    assert.equal(missing.nonRetryable, true);
    const user = discord.addUser('eve');
    const channel = await activities.openSupportChannel({
      user: { guildId, userId: user.id, userName: 'eve' },
      preferThread: false,
    });
    discord.failNext('POST', /\/messages$/, { status: 503, code: 0, message: 'upstream down' });
    const down = await activities.sendToDiscord({ channel, dedupeKey: 'u', kind: 'notice', text: 'x' }).then(
      () => undefined,
      (err: unknown) => err,
    );
    assert.ok(down, 'the 503 surfaces');
    assert.notEqual((down as ApplicationFailure).nonRetryable, true);
  });

  it('posts a staff notice into a guild channel found by name, once per dedupe key; a missing channel is not posted', async () => {
    const notice = {
      guildId,
      channelName: 'case-followup',
      dedupeKey: 'case-1001-reminder-0-0',
      embed: {
        title: 'Bug report #1001 has waited 2 days for triage',
        description: 'x',
        footer: 'reminder 1',
      },
    };
    assert.deepEqual(await activities.postGuildChannelNotice(notice), { posted: false });
    const channel = discord.addChannel(
      newChannel({ type: ChannelType.GuildText, guildId, name: 'case-followup' }),
    );
    const first = await activities.postGuildChannelNotice(notice);
    const retried = await activities.postGuildChannelNotice(notice);
    assert.equal(first.posted, true);
    assert.equal(retried.messageId, first.messageId);
    const posted = discord.messagesIn(channel.id);
    assert.equal(posted.length, 1);
    assert.equal(posted[0]!.embeds[0]?.title, notice.embed.title);
    assert.equal(posted[0]!.embeds[0]?.footer?.text, 'reminder 1');
  });
});
