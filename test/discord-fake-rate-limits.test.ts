import assert from 'node:assert/strict';
import { FakeDiscord } from '../src/sandbox/discord';

/*
 * Discord's rate limits as the fake enforces them (https://discord.com/developers/docs/topics/rate-limits): a global
 * limit per bot token that interaction endpoints are exempt from, and per-route buckets. Plain fetch, so the raw
 * status, headers and body are what is checked.
 */
describe('Discord fake rate limits', () => {
  let discord: FakeDiscord;

  afterEach(async () => {
    assert.deepEqual(discord.checker.violations, []);
    await discord.stop();
  });

  const get = (path: string, auth = true) =>
    fetch(`${discord.apiUrl}/v10${path}`, {
      headers: auth ? { authorization: `Bot ${discord.token}` } : {},
    });

  it('refuses the request over the global limit with a global 429, and serves again after the window', async () => {
    discord = await new FakeDiscord({ globalRateLimit: { limit: 5, windowMs: 800 } }).start();
    const statuses: number[] = [];
    for (let i = 0; i < 5; i++) statuses.push((await get('/users/@me')).status);
    assert.deepEqual(statuses, [200, 200, 200, 200, 200]);

    const limited = await get('/users/@me');
    assert.equal(limited.status, 429);
    assert.equal(limited.headers.get('x-ratelimit-global'), 'true');
    assert.equal(limited.headers.get('x-ratelimit-scope'), 'global');
    assert.ok(Number(limited.headers.get('retry-after')) >= 1);
    const body = (await limited.json()) as { global: boolean; retry_after: number };
    assert.equal(body.global, true);
    assert.ok(body.retry_after > 0 && body.retry_after <= 0.8, `retry_after ${body.retry_after}`);
    assert.equal(discord.rateLimiter.globallyLimited.length, 1);

    await new Promise((r) => setTimeout(r, body.retry_after * 1000 + 50));
    assert.equal((await get('/users/@me')).status, 200);
  });

  it('does not count interaction callbacks against the global limit', async () => {
    discord = await new FakeDiscord({ globalRateLimit: { limit: 1, windowMs: 60_000 } }).start();
    const { supportChannel } = discord.addGuild('Acme');
    const user = discord.addUser('ana');
    assert.equal((await get('/users/@me')).status, 200);
    assert.equal((await get('/users/@me')).status, 429);
    const interaction = discord.runSlashCommand(user.id, supportChannel.id, 'helpme');
    const callback = await fetch(
      `${discord.apiUrl}/v10/interactions/${interaction.id}/${interaction.token}/callback`,
      {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ type: 4, data: { content: 'hello', flags: 64 } }),
      },
    );
    assert.equal(callback.status, 204);
  });

  it('answers a full route bucket with a per-bot ("user" scope) 429 and its X-RateLimit headers', async () => {
    discord = await new FakeDiscord({ globalRateLimit: false }).start();
    const dm = discord.dmChannelFor(discord.addUser('bo').id);
    const post = () =>
      fetch(`${discord.apiUrl}/v10/channels/${dm.id}/messages`, {
        method: 'POST',
        headers: { authorization: `Bot ${discord.token}`, 'content-type': 'application/json' },
        body: JSON.stringify({ content: 'hi' }),
      });
    for (let i = 0; i < 5; i++) {
      const ok = await post();
      assert.equal(ok.status, 200);
      assert.equal(ok.headers.get('x-ratelimit-remaining'), String(4 - i));
    }
    const limited = await post();
    assert.equal(limited.status, 429);
    assert.equal(limited.headers.get('x-ratelimit-scope'), 'user');
    assert.equal(limited.headers.get('x-ratelimit-global'), null);
    assert.equal(((await limited.json()) as { global: boolean }).global, false);
  });
});
