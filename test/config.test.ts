import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ConfigError, MissingSettingsError, loadConfig, requireSettings } from '../src/config';
import { envSchema } from '../src/config/schema';

const noDotenv = { dotenvPath: false } as const;

describe('configuration', () => {
  it('has sensible defaults for a development start with nothing set', () => {
    const config = loadConfig({}, noDotenv);
    assert.equal(config.env, 'development');
    assert.equal(config.log.format, 'pretty');
    assert.equal(config.temporal.address, undefined);
    assert.equal(config.temporal.taskQueue, 'flexcord');
    assert.equal(config.temporal.devPort, 7233);
    assert.equal(config.http.port, 3000);
    assert.equal(config.dataDir, path.resolve('.data'));
  });

  it('logs JSON in production unless told otherwise', () => {
    assert.equal(loadConfig({ NODE_ENV: 'production' }, noDotenv).log.format, 'json');
    assert.equal(loadConfig({ NODE_ENV: 'production', LOG_FORMAT: 'pretty' }, noDotenv).log.format, 'pretty');
  });

  it('treats an empty value like an unset one, as `FOO=` lines in .env mean', () => {
    const config = loadConfig({ TEMPORAL_ADDRESS: '', DISCORD_TOKEN: '', PUBLIC_BASE_URL: '' }, noDotenv);
    assert.equal(config.temporal.address, undefined);
    assert.equal(config.discord.token, undefined);
    assert.equal(config.http.publicBaseUrl, undefined);
  });

  it('names each malformed variable in one message, without echoing its value', () => {
    const secretLooking = 'not-a-url-but-maybe-a-secret';
    assert.throws(
      () => loadConfig({ HTTP_PORT: '70000', PUBLIC_BASE_URL: secretLooking, LOG_LEVEL: 'loud' }, noDotenv),
      (err: unknown) => {
        assert.ok(err instanceof ConfigError);
        assert.match(err.message, /HTTP_PORT/);
        assert.match(err.message, /PUBLIC_BASE_URL/);
        assert.match(err.message, /LOG_LEVEL/);
        assert.doesNotMatch(err.message, new RegExp(secretLooking));
        return true;
      },
    );
  });

  it('reads .env for what the environment lacks, and the environment wins', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'flexcord-config-'));
    const file = path.join(dir, '.env');
    fs.writeFileSync(file, 'HTTP_PORT=4100\nTEMPORAL_TASK_QUEUE=from-dotenv\n');
    const config = loadConfig({ TEMPORAL_TASK_QUEUE: 'from-env' }, { dotenvPath: file });
    assert.equal(config.http.port, 4100);
    assert.equal(config.temporal.taskQueue, 'from-env');
  });

  it('caches 2,000 workflows per worker unless WORKER_MAX_CACHED_WORKFLOWS says otherwise', () => {
    assert.equal(loadConfig({}, noDotenv).temporal.maxCachedWorkflows, 2000);
    assert.equal(
      loadConfig({ WORKER_MAX_CACHED_WORKFLOWS: '12000' }, noDotenv).temporal.maxCachedWorkflows,
      12000,
    );
  });

  it('refuses a workflow cache size that is not a whole number of at least 2', () => {
    // The SDK itself would quietly turn 1 into 2; 0 would turn the cache off, replaying every history on each task.
    for (const value of ['0', '1', '2.5', 'lots', '-5']) {
      assert.throws(
        () => loadConfig({ WORKER_MAX_CACHED_WORKFLOWS: value }, noDotenv),
        (err: unknown) => err instanceof ConfigError && /WORKER_MAX_CACHED_WORKFLOWS/.test(err.message),
        value,
      );
    }
  });

  it('splits the feed list and drops blanks', () => {
    const config = loadConfig({ FEED_URLS: 'https://a.example/rss, ,https://b.example/atom' }, noDotenv);
    assert.deepEqual(config.feeds.urls, ['https://a.example/rss', 'https://b.example/atom']);
  });

  it('reads API tokens with the servers each may see, never echoing a token in an error', () => {
    const acme = 'acme-token-0123456789';
    const ops = 'ops-token-0123456789ab';
    const config = loadConfig(
      { API_TOKENS: `${acme}=111111111111111111|222222222222222222, ${ops}=*` },
      noDotenv,
    );
    assert.deepEqual(config.cases.apiTokens, [
      { token: acme, guilds: ['111111111111111111', '222222222222222222'] },
      { token: ops, guilds: '*' },
    ]);
    for (const bad of [
      `${acme}`,
      `${acme}=`,
      `${acme}=general`,
      `short=111111111111111111`,
      `${acme}=*,${acme}=*`,
    ]) {
      assert.throws(
        () => loadConfig({ API_TOKENS: bad }, noDotenv),
        (err: unknown) => {
          assert.ok(err instanceof ConfigError);
          assert.match(err.message, /API_TOKENS: entry \d/);
          assert.doesNotMatch(err.message, /acme-token|short/);
          return true;
        },
        bad,
      );
    }
  });

  it('keeps API_TOKEN as the token of DISCORD_GUILD_ID, and refuses it for a bot in several servers', () => {
    const config = loadConfig({ API_TOKEN: 'legacy', DISCORD_GUILD_ID: '333333333333333333' }, noDotenv);
    assert.deepEqual(config.cases.apiTokens, [{ token: 'legacy', guilds: ['333333333333333333'] }]);
    assert.throws(
      () => loadConfig({ API_TOKEN: 'legacy-secret' }, noDotenv),
      (err: unknown) => {
        assert.ok(err instanceof ConfigError);
        assert.match(err.message, /API_TOKEN: .*DISCORD_GUILD_ID.*API_TOKENS/);
        assert.doesNotMatch(err.message, /legacy-secret/);
        return true;
      },
    );
    assert.deepEqual(loadConfig({}, noDotenv).cases.apiTokens, []);
  });

  it('reads the private ranges feeds may use, none by default, and refuses a malformed one', () => {
    assert.deepEqual(loadConfig({}, noDotenv).feeds.allowedPrivateRanges, []);
    const config = loadConfig({ FEED_ALLOWED_PRIVATE_RANGES: '10.20.0.0/16, 127.0.0.1,fd00::/8' }, noDotenv);
    assert.deepEqual(config.feeds.allowedPrivateRanges, ['10.20.0.0/16', '127.0.0.1', 'fd00::/8']);
    assert.throws(
      () => loadConfig({ FEED_ALLOWED_PRIVATE_RANGES: '10.0.0.0/33' }, noDotenv),
      /FEED_ALLOWED_PRIVATE_RANGES/,
    );
  });

  it('documents every variable of the schema in .env.example', () => {
    const example = fs.readFileSync(path.resolve(__dirname, '..', '.env.example'), 'utf8');
    const documented = new Set([...example.matchAll(/^([A-Z][A-Z0-9_]*)=/gm)].map((m) => m[1]));
    const missing = Object.keys(envSchema.shape).filter((name) => !documented.has(name));
    assert.deepEqual(missing, []);
  });
});

describe('role settings', () => {
  it('names every missing variable a role needs', () => {
    assert.throws(
      () => requireSettings('bot', { DISCORD_TOKEN: undefined, DISCORD_APPLICATION_ID: '', OTHER: 'x' }),
      (err: unknown) => {
        assert.ok(err instanceof MissingSettingsError);
        assert.deepEqual(err.variables, ['DISCORD_TOKEN', 'DISCORD_APPLICATION_ID']);
        assert.match(err.message, /The bot needs DISCORD_TOKEN, DISCORD_APPLICATION_ID/);
        return true;
      },
    );
    assert.doesNotThrow(() => requireSettings('bot', { DISCORD_TOKEN: 't', DISCORD_APPLICATION_ID: '1' }));
  });
});
