import assert from 'node:assert/strict';
import { DiscordAPIError, REST } from '@discordjs/rest';
import {
  type APIApplication,
  type APIMessage,
  ApplicationFlags,
  ChannelType,
  PermissionFlagsBits,
  type RESTAPIPartialCurrentUserGuild,
  Routes,
} from 'discord-api-types/v10';
import { createDiscordClient } from '../src/bot/create-client';
import { FakeDiscord } from '../src/sandbox/discord';
import { newChannel } from '../src/sandbox/discord/model';

/* The Discord fake itself behaves as Discord documents, so tests built on it can fail for the right reasons. */
describe('Discord fake (REST through @discordjs/rest)', () => {
  let discord: FakeDiscord;
  let rest: REST;

  const start = async (options: ConstructorParameters<typeof FakeDiscord>[0] = {}) => {
    discord = await new FakeDiscord({ rateLimits: [], ...options }).start();
    rest = new REST({ api: discord.apiUrl, retries: 0, rejectOnRateLimit: () => true }).setToken(
      discord.token,
    );
  };

  afterEach(async () => {
    assert.deepEqual(discord.checker.violations, []);
    assert.deepEqual(discord.unhandled, []);
    await discord.stop();
  });

  const post = (channelId: string, content: string, nonce?: string) =>
    rest.post(Routes.channelMessages(channelId), {
      body: { content, ...(nonce ? { nonce, enforce_nonce: true } : {}) },
    }) as Promise<APIMessage>;

  it('says which privileged intents the application has, and its gateway refuses a bot asking for one it lacks', async function () {
    this.timeout(20_000);
    await start({ messageContentIntent: false });
    const app = (await rest.get(Routes.currentApplication())) as APIApplication;
    assert.equal(app.id, discord.applicationId);
    assert.equal(app.flags & ApplicationFlags.GatewayMessageContentLimited, 0);
    const { guild } = discord.addGuild('Acme');
    const guilds = (await rest.get(Routes.userGuilds())) as RESTAPIPartialCurrentUserGuild[];
    assert.deepEqual(
      guilds.map((g) => g.name),
      ['Acme'],
    );
    assert.equal(guilds[0]!.id, guild.id);
    const client = createDiscordClient({ apiUrl: discord.apiUrl });
    try {
      await assert.rejects(client.login(discord.token), /disallowed intents/i);
    } finally {
      await client.destroy();
    }
    discord.messageContentIntent = true;
    const flags = ((await rest.get(Routes.currentApplication())) as APIApplication).flags;
    assert.notEqual(flags & ApplicationFlags.GatewayMessageContentLimited, 0);
  });

  it('honours enforce_nonce only within its window', async () => {
    let clock = Date.now();
    await start({ nonceWindowMs: 1500, now: () => clock });
    const dm = discord.dmChannelFor(discord.addUser('ana').id);
    const first = await post(dm.id, 'hello', 'n-1');
    clock += 1400;
    const again = await post(dm.id, 'hello', 'n-1');
    assert.equal(again.id, first.id, 'within the window the first message comes back');
    clock += 200;
    const late = await post(dm.id, 'hello', 'n-1');
    assert.notEqual(late.id, first.id, 'after the window the same nonce posts again');
    assert.equal(discord.messagesIn(dm.id).length, 2);
  });

  it('reads messages after an id, oldest first within the page, newest first on the wire, without nonces', async () => {
    await start();
    const dm = discord.dmChannelFor(discord.addUser('bo').id);
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) ids.push((await post(dm.id, `m${i}`, `n${i}`)).id);
    const page = (await rest.get(Routes.channelMessages(dm.id), {
      query: new URLSearchParams({ after: ids[1]!, limit: '2' }),
    })) as APIMessage[];
    assert.deepEqual(
      page.map((m) => m.content),
      ['m3', 'm2'],
    );
    assert.ok(page.every((m) => m.nonce === undefined));
  });

  it('carries out a request whose answer is lost', async () => {
    await start();
    const dm = discord.dmChannelFor(discord.addUser('cy').id);
    discord.loseNextAnswer('POST', /\/messages$/);
    await assert.rejects(post(dm.id, 'lost'));
    assert.deepEqual(
      discord.messagesIn(dm.id).map((m) => m.content),
      ['lost'],
    );
  });

  it('answers 50013 when the bot lacks a permission, 10003 for an unknown channel, 503 in an outage', async () => {
    await start();
    const guildId = discord.addGuild('Acme').guild.id;
    const channel = discord.addChannel(newChannel({ type: ChannelType.GuildText, guildId, name: 'news' }));
    await post(channel.id, 'allowed');
    discord.denyBotPermission(channel.id, PermissionFlagsBits.SendMessages);
    await assert.rejects(post(channel.id, 'denied'), (err: unknown) => {
      assert.ok(err instanceof DiscordAPIError);
      assert.equal(err.code, 50013);
      return true;
    });
    await assert.rejects(post('1234', 'nowhere'), (err: unknown) => (err as DiscordAPIError).code === 10003);
    discord.outage = true;
    await assert.rejects(
      post(channel.id, 'down'),
      (err: unknown) => (err as { status?: number }).status === 503,
    );
  });
});
