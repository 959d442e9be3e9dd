import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { MessageFlags } from 'discord-api-types/v10';
import pino from 'pino';
import { startBot, type RunningBot } from '../src/bot/bot';
import { type BotDeps } from '../src/bot/bot-deps';
import { createDiscordClient } from '../src/bot/create-client';
import { ALL_GUILDS, onlyGuilds } from '../src/cases/guild-scope';
import { createCaseOperations } from '../src/cases/report-client';
import { type Moderation, openModeration } from '../src/moderation';
import { SqlBlockList } from '../src/moderation/block-list';
import { durableRateLimits } from '../src/moderation/rate-limits';
import { encodeCustomId } from '../src/shared/discord-custom-ids';
import type { FileReportInput } from '../src/shared/report-types';
import {
  type StartSupportInput,
  supportWorkflowId,
  type UserMessageEvent,
} from '../src/shared/support-types';
import { type UserActionSignal } from '../src/temporal/support-client';
import { blockApiRouter } from '../src/webhooks/api/block-api-router';
import { createWebhookApp } from '../src/webhooks/app';
import { listen } from '../src/webhooks/http-server';
import { FakeDiscord, type FakeInteraction, waitFor } from '../src/sandbox/discord';
import { newMessage } from '../src/sandbox/discord/model';
import { tempCaseStore } from './support/case-fixtures';
import { describeOnEachDialect } from './support/case-databases';
import { testEnv } from './support/global-fixtures';

const run = promisify(execFile);
const BIN = path.resolve(__dirname, '..', 'bin', 'flexcord.js');
const silent = pino({ level: 'silent' });
const LIMITS = {
  conversations: { points: 2, windowSeconds: 3600 },
  reports: { points: 1, windowSeconds: 3600 },
};

describeOnEachDialect('abuse controls in the case database', (open) => {
  it('keeps a block until it expires or is lifted, per server', async () => {
    let now = new Date('2026-03-01T12:00:00Z');
    const blocks = await SqlBlockList.open((await open()).db, () => now);
    await blocks.block({ guildId: 'g1', userId: 'u1', reason: 'spam', blockedBy: 'api:alice' });
    await blocks.block({
      guildId: 'g1',
      userId: 'u2',
      reason: 'rude',
      blockedBy: 'cli:bo',
      expiresAt: '2026-03-02T12:00:00.000Z',
    });
    assert.equal((await blocks.activeBlock('g1', 'u1'))?.reason, 'spam');
    assert.equal(await blocks.activeBlock('g2', 'u1'), undefined, 'a block holds in its own server only');
    assert.deepEqual((await blocks.activeBlocks(onlyGuilds('g1'))).map((b) => b.userId).sort(), ['u1', 'u2']);
    assert.deepEqual(await blocks.activeBlocks(onlyGuilds('g2')), []);
    now = new Date('2026-03-02T12:00:01Z');
    assert.equal(await blocks.activeBlock('g1', 'u2'), undefined, 'expired');
    assert.equal(await blocks.unblock({ guildId: 'g1', userId: 'u1', liftedBy: 'api:alice' }), true);
    assert.equal(await blocks.unblock({ guildId: 'g1', userId: 'u1', liftedBy: 'api:alice' }), false);
    assert.equal(await blocks.activeBlock('g1', 'u1'), undefined);
    await blocks.block({ guildId: 'g1', userId: 'u1', reason: 'again', blockedBy: 'api:alice' });
    assert.equal(
      (await blocks.activeBlock('g1', 'u1'))?.reason,
      'again',
      'blocking again replaces the block',
    );
  });

  it('counts per user across limiter instances (a restarted bot), refuses with the wait, and refunds', async () => {
    const database = await open();
    await SqlBlockList.open(database.db); // runs the moderation migrations
    const settings = {
      conversations: { points: 2, windowSeconds: 2 },
      reports: { points: 0, windowSeconds: 1 },
    };
    const first = durableRateLimits(database, settings);
    assert.deepEqual(await first.take('conversations', 'g:u'), { allowed: true });
    const restarted = durableRateLimits(database, settings);
    assert.deepEqual(await restarted.take('conversations', 'g:u'), { allowed: true });
    const refused = await restarted.take('conversations', 'g:u');
    assert.equal(refused.allowed, false);
    assert.ok(!refused.allowed && refused.retryAfterSeconds >= 1 && refused.retryAfterSeconds <= 2);
    assert.equal((await restarted.peek('conversations', 'g:u')).allowed, false);
    assert.deepEqual(await restarted.take('conversations', 'g:other'), { allowed: true }, 'per user');
    assert.deepEqual(await restarted.take('reports', 'g:u'), { allowed: true }, '0 points: no limit');
    await new Promise((resolve) => setTimeout(resolve, 2100));
    assert.deepEqual(await first.take('conversations', 'g:u'), { allowed: true }, 'a new window');
    await first.refund('conversations', 'g:u');
    assert.deepEqual(await first.peek('conversations', 'g:u'), { allowed: true });
  });
});

/** What reached the support side: nothing of a blocked user's. */
class Reached {
  opened: StartSupportInput[] = [];
  messages: UserMessageEvent[] = [];
  actions: UserActionSignal[] = [];
  reports: FileReportInput[] = [];
  running = new Set<string>();
}

describe('abuse controls in the Discord bot (real discord.js against the Discord fake)', function () {
  this.timeout(30_000);
  let discord: FakeDiscord;
  let bot: RunningBot;
  let reached: Reached;
  let store: Awaited<ReturnType<typeof tempCaseStore>>;
  let moderation: Moderation;
  let guildId: string;
  let supportChannelId: string;
  let bugChannelId: string;
  let ana: string;
  let staff: string;

  const reply = (i: FakeInteraction) => FakeDiscord.replyText(i);
  const isEphemeral = (i: FakeInteraction) =>
    ((i.original?.flags ?? Number(i.callback?.data?.flags ?? 0)) & MessageFlags.Ephemeral) !== 0;
  const slash = (user: string, name: string, options: Record<string, string | number> = {}, sub?: string) =>
    discord.waitForReply(discord.runSlashCommand(user, supportChannelId, name, options, sub));

  beforeEach(async () => {
    discord = await new FakeDiscord().start();
    const made = discord.addGuild('Acme');
    guildId = made.guild.id;
    supportChannelId = made.supportChannel.id;
    bugChannelId = discord.addChannel({
      ...made.supportChannel,
      id: `${Date.now()}7`,
      name: 'bug-reports',
    }).id;
    const staffRoleId = discord.addRole(guildId, 'staff');
    ana = discord.addUser('ana').id;
    staff = discord.addUser('sam').id;
    discord.addMember(guildId, ana);
    discord.addMember(guildId, staff, { roles: [staffRoleId] });
    reached = new Reached();
    store = await tempCaseStore();
    moderation = await openModeration(store.database, { limits: LIMITS }, silent);
    const deps: BotDeps = {
      logger: silent,
      discord: {
        preferThreads: false,
        staffRoleId,
        supportChannelName: 'support',
        channels: {
          announcements: 'announcements',
          bugReports: 'bug-reports',
          featureRequests: 'feature-requests',
          staff: 'case-followup',
        },
      },
      timings: { inactivitySeconds: 3600, inactivityReminderSeconds: 3000, agentSlaSeconds: 600 },
      conversations: {
        async open(input) {
          reached.opened.push(input);
          const id = supportWorkflowId(input.user.guildId, input.user.userId);
          const created = !reached.running.has(id);
          reached.running.add(id);
          return {
            channel: { channelId: discord.dmChannelFor(input.user.userId).id, kind: 'dm' },
            phase: 'bot',
            created,
          };
        },
        async userMessage(_input, event) {
          reached.messages.push(event);
        },
        async action(_workflowId, action) {
          reached.actions.push(action);
        },
        async runningConversationGuilds() {
          return [];
        },
      },
      reports: {
        async file(input) {
          reached.reports.push(input);
          return { caseNumber: 1000 + reached.reports.length };
        },
      },
      cases: createCaseOperations({ client: testEnv().client, store: store.store }),
      moderation,
    };
    bot = await startBot(createDiscordClient({ apiUrl: discord.apiUrl }), deps, discord.token);
  });

  afterEach(async () => {
    await bot.stop();
    assert.deepEqual(discord.checker.violations, []);
    assert.deepEqual(discord.unhandled, []);
    await discord.stop();
    await store.close();
  });

  it("refuses a blocked member's /helpme, DMs, 'Talk to a human' and reports politely, and nothing reaches a workflow", async () => {
    // Only staff block; the reason stays with staff.
    const notStaff = await slash(ana, 'case', { user: staff, reason: 'x' }, 'block');
    assert.match(reply(notStaff), /Only staff can block members/);
    const blocked = await slash(staff, 'case', { user: ana, reason: 'spamming agents', days: 7 }, 'block');
    assert.match(
      reply(blocked),
      new RegExp(`Blocked <@${ana}> from support in this server until <t:\\d+:f>`),
    );
    assert.ok(isEphemeral(blocked));
    const stored = await moderation.blocks.list(onlyGuilds(guildId));
    assert.deepEqual(
      stored.map((b) => [b.userId, b.reason, b.blockedBy]),
      [[ana, 'spamming agents', `discord:${staff}`]],
    );

    const helpme = await slash(ana, 'helpme');
    assert.ok(isEphemeral(helpme));
    assert.match(
      reply(helpme),
      /Sorry, you can't use support in this server right now\. This ends <t:\d+:R>\./,
    );
    assert.doesNotMatch(reply(helpme), /spamming/, 'the member is not told the staff reason');

    const dm = discord.dmChannelFor(ana);
    const first = discord.userSendsDm(ana, 'let me in');
    const answer = await discord.waitForMessage(
      dm.id,
      (m) => m.author.id === discord.botUser.id && BigInt(m.id) > BigInt(first.id),
    );
    assert.match(answer.content, /can't use support in this server right now/);
    discord.userSendsDm(ana, 'hello??');
    discord.userSendsDm(ana, 'HELLO??');
    await new Promise((resolve) => setTimeout(resolve, 500));
    assert.equal(
      discord.messagesIn(dm.id).filter((m) => m.author.id === discord.botUser.id).length,
      1,
      'a flood of DMs gets one answer, not one each',
    );

    const posted = newMessage(dm, discord.botUser, { content: 'Did that help?' });
    discord.addMessage(posted);
    const human = await discord.waitForReply(
      discord.pressButton(ana, posted, encodeCustomId({ kind: 'request_human' })),
    );
    assert.match(reply(human), /can't use support/);
    const bug = await discord.waitForReply(discord.runSlashCommand(ana, bugChannelId, 'bug'));
    assert.match(reply(bug), /can't use support/);
    const submit = await discord.waitForReply(
      discord.submitModal(ana, bugChannelId, 'fc:bug_modal', {
        title: 'x',
        what_happened: 'x',
        steps: 'x',
        expected: 'x',
      }),
    );
    assert.match(reply(submit), /can't use support/);

    assert.deepEqual(reached.opened, []);
    assert.deepEqual(reached.messages, []);
    assert.deepEqual(reached.actions, []);
    assert.deepEqual(reached.reports, []);

    // Unblocked, the member is heard again.
    assert.match(reply(await slash(staff, 'case', { user: ana }, 'unblock')), /can use support again/);
    discord.userSendsDm(ana, 'thanks');
    await waitFor(() => reached.messages.length === 1, 5000, 'the routed DM');
    assert.match(reply(await slash(ana, 'helpme')), /opened a private support conversation/);
  });

  it('limits conversations opened and reports filed per member, says when to try again, and never limits staff', async () => {
    // Two conversations per window: each /helpme that starts one counts, one that resumes does not.
    assert.match(reply(await slash(ana, 'helpme')), /opened/);
    assert.match(reply(await slash(ana, 'helpme')), /still open/);
    reached.running.clear(); // the conversation ended
    assert.match(reply(await slash(ana, 'helpme')), /opened/);
    reached.running.clear();
    const limited = await slash(ana, 'helpme');
    assert.match(
      reply(limited),
      /You've started several support conversations in a short time\. Please continue in the one you have, or try again <t:\d+:R>\./,
    );
    assert.equal(reached.opened.length, 3);
    // "Talk to a human" opens a case and a Flex task: it counts the same way.
    reached.running.add(supportWorkflowId(guildId, ana));
    const posted = newMessage(discord.dmChannelFor(ana), discord.botUser, { content: 'Did that help?' });
    discord.addMessage(posted);
    const human = await discord.waitForReply(
      discord.pressButton(ana, posted, encodeCustomId({ kind: 'request_human' })),
    );
    assert.match(reply(human), /several support conversations/);
    assert.deepEqual(reached.actions, []);
    // Messages in a running conversation are never limited.
    discord.userSendsDm(ana, 'still here');
    await waitFor(() => reached.messages.length === 1, 5000, 'the routed DM');

    // Staff are never limited.
    for (let i = 0; i < 3; i++) {
      reached.running.clear();
      assert.match(reply(await slash(staff, 'helpme')), /opened/);
    }

    // One report per window: the second /bug is refused before the form.
    const fields = { title: 'Crash', what_happened: 'x', steps: 'y', expected: 'z' };
    const filed = await discord.waitForReply(discord.submitModal(ana, bugChannelId, 'fc:bug_modal', fields));
    assert.match(reply(filed), /case #1001/);
    const again = await discord.waitForReply(discord.runSlashCommand(ana, bugChannelId, 'bug'));
    assert.match(reply(again), /You've filed several reports in a short time\. Please try again <t:\d+:R>\./);
    const sneaky = await discord.waitForReply(discord.submitModal(ana, bugChannelId, 'fc:bug_modal', fields));
    assert.match(reply(sneaky), /several reports/);
    assert.equal(reached.reports.length, 1);
  });
});

describe('blocks through the API and the CLI', function () {
  this.timeout(120_000); // starts `flexcord` several times, each seconds of start-up on a loaded machine

  it('blocks, lists and unblocks within the token’s servers', async () => {
    const opened = await tempCaseStore();
    const { blocks } = await openModeration(opened.database, { limits: LIMITS }, silent);
    const tokens = [
      { token: 'all-servers-token-1', scope: ALL_GUILDS },
      { token: 'acme-only-token-12', scope: onlyGuilds('111111') },
    ];
    const app = createWebhookApp({
      logger: silent,
      readiness: async () => undefined,
      routers: [{ path: '/api', router: blockApiRouter({ tokens, blocks }) }],
    });
    const server = await listen(app, 0, '127.0.0.1');
    const call = (method: string, p: string, token: string, body?: unknown) =>
      fetch(`http://127.0.0.1:${server.port}/api${p}`, {
        method,
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
    try {
      const made = await call('POST', '/blocks', 'acme-only-token-12', {
        guild: '111111',
        user: '222222',
        reason: 'raids',
        days: 2,
        actor: 'alice',
      });
      assert.equal(made.status, 201);
      const { block } = (await made.json()) as { block: { expiresAt: string; blockedBy: string } };
      assert.equal(block.blockedBy, 'api:alice');
      const days = (Date.parse(block.expiresAt) - Date.now()) / 86_400_000;
      assert.ok(days > 1.99 && days <= 2, `expires in two days, not ${days}`);

      const foreign = await call('POST', '/blocks', 'acme-only-token-12', {
        guild: '333333',
        user: '222222',
        reason: 'x',
      });
      assert.equal(foreign.status, 404, "another server's members are not this token's to block");
      assert.equal((await call('GET', '/blocks?guild=333333', 'acme-only-token-12')).status, 403);
      const invalid = await call('POST', '/blocks', 'acme-only-token-12', {
        guild: '111111',
        user: 'ana',
        reason: '',
      });
      assert.equal(invalid.status, 400);
      assert.equal((await call('GET', '/blocks', 'nope-nope-nope-nope')).status, 401);

      const listed = (await (await call('GET', '/blocks', 'all-servers-token-1')).json()) as {
        blocks: { userId: string }[];
      };
      assert.deepEqual(
        listed.blocks.map((b) => b.userId),
        ['222222'],
      );
      const lifted = await call('DELETE', '/blocks/111111/222222', 'acme-only-token-12');
      assert.deepEqual(await lifted.json(), { lifted: true });
      assert.deepEqual(await (await call('DELETE', '/blocks/111111/222222', 'acme-only-token-12')).json(), {
        lifted: false,
      });
    } finally {
      await server.close();
      await opened.close();
    }
  });

  it('`flexcord cases block|blocks|unblock` work on the store without Temporal', async () => {
    const opened = await tempCaseStore();
    const dir = path.dirname(opened.database.location);
    const cli = (...args: string[]) =>
      run(process.execPath, [BIN, 'cases', ...args], {
        env: { ...process.env, FLEXCORD_DATA_DIR: dir, DATABASE_URL: '', LOG_LEVEL: 'silent' },
        cwd: dir,
      });
    try {
      const blocked = await cli(
        'block',
        '444444',
        '--guild',
        '111111',
        '--reason',
        'alt account',
        '--days',
        '3',
      );
      assert.match(blocked.stdout, /^blocked 444444 in 111111 until \d{4}-/);
      const listed = await cli('blocks', '--json');
      const list = JSON.parse(listed.stdout) as { userId: string; reason: string; blockedBy: string }[];
      assert.deepEqual(
        list.map((b) => [b.userId, b.reason]),
        [['444444', 'alt account']],
      );
      assert.match(list[0]!.blockedBy, /^cli:/);
      const bad = await cli('block', 'ana', '--guild', '111111', '--reason', 'x').then(
        () => assert.fail('a user that is not a Discord id must be refused'),
        (err: { stderr: string }) => err,
      );
      assert.match(bad.stderr, /a Discord id/);
      assert.equal(
        (await cli('unblock', '444444', '--guild', '111111')).stdout.trim(),
        'unblocked 444444 in 111111',
      );
      assert.equal((await cli('blocks')).stdout.trim(), 'nobody is blocked');
    } finally {
      await opened.close();
    }
  });
});
