import assert from 'node:assert/strict';
import { ChannelType, InteractionResponseType, MessageFlags } from 'discord-api-types/v10';
import pino from 'pino';
import { startBot, type RunningBot } from '../src/bot/bot';
import { type BotDeps } from '../src/bot/bot-deps';
import { createDiscordClient } from '../src/bot/create-client';
import { CaseOperationError } from '../src/cases/report-client';
import type { CaseSummary } from '../src/shared/case-types';
import { encodeCustomId } from '../src/shared/discord-custom-ids';
import type { FileReportInput } from '../src/shared/report-types';
import type { StartSupportInput, UserMessageEvent } from '../src/shared/support-types';
import { supportWorkflowId } from '../src/shared/support-types';
import { ConversationNotFoundError, type UserActionSignal } from '../src/temporal/support-client';
import { FakeDiscord, type FakeInteraction, waitFor } from '../src/sandbox/discord';
import { newMessage } from '../src/sandbox/discord/model';

/** Records what the bot asked of the support side; the real Temporal path is covered by the end-to-end test. */
class Recorder {
  opened: StartSupportInput[] = [];
  messages: { input: StartSupportInput; event: UserMessageEvent }[] = [];
  actions: { workflowId: string; action: UserActionSignal }[] = [];
  reports: FileReportInput[] = [];
  closed: { caseNumber: number; reason: string }[] = [];
  triaged: { caseNumber: number; note?: string; priority?: string; actor: string; eventId?: string }[] = [];
  noted: { caseNumber: number; note: string; actor: string; eventId?: string }[] = [];
  running = new Set<string>();
  openFails = false;
  cases: CaseSummary[] = [];
  /** While set, a routed message waits for it before it counts as delivered (a slow Temporal). */
  hold?: Promise<void>;
  routing = 0;
}

describe('Discord bot (real discord.js client against the local Discord fake)', function () {
  this.timeout(20_000);
  let discord: FakeDiscord;
  let bot: RunningBot;
  let rec: Recorder;
  let guildId: string;
  let supportChannelId: string;
  let staffRoleId: string;
  let ana: string;
  let staff: string;
  let admin: string;

  const reply = (i: FakeInteraction) => FakeDiscord.replyText(i);
  const isEphemeral = (i: FakeInteraction) =>
    ((i.original?.flags ?? Number(i.callback?.data?.flags ?? 0)) & MessageFlags.Ephemeral) !== 0;

  beforeEach(async () => {
    discord = await new FakeDiscord().start();
    const made = discord.addGuild('Acme');
    guildId = made.guild.id;
    supportChannelId = made.supportChannel.id;
    staffRoleId = discord.addRole(guildId, 'staff');
    ana = discord.addUser('ana').id;
    staff = discord.addUser('sam').id;
    admin = discord.addUser('ada').id;
    discord.addMember(guildId, ana);
    discord.addMember(guildId, staff, { roles: [staffRoleId] });
    discord.addMember(guildId, admin, { admin: true });
    rec = new Recorder();
    const deps: BotDeps = {
      logger: pino({ level: 'silent' }),
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
          if (rec.openFails) throw new Error('temporal is down');
          rec.opened.push(input);
          const id = supportWorkflowId(input.user.guildId, input.user.userId);
          const created = !rec.running.has(id);
          rec.running.add(id);
          return {
            channel: { channelId: discord.dmChannelFor(input.user.userId).id, kind: 'dm' },
            phase: 'bot',
            created,
          };
        },
        async userMessage(input, event) {
          rec.routing++;
          await rec.hold;
          rec.messages.push({ input, event });
        },
        async action(workflowId, action) {
          if (!rec.running.has(workflowId)) throw new ConversationNotFoundError(workflowId);
          rec.actions.push({ workflowId, action });
        },
        async runningConversationGuilds() {
          return [];
        },
      },
      reports: {
        async file(input) {
          rec.reports.push(input);
          return { caseNumber: 41 + rec.reports.length };
        },
      },
      cases: {
        listForUser: async (g, u) => rec.cases.filter((c) => c.guildId === g && c.reporter.discordId === u),
        listForGuild: async (g) => rec.cases.filter((c) => c.guildId === g),
        async show(n) {
          const found = rec.cases.find((c) => c.number === n);
          if (!found) throw new CaseOperationError('not_found', `case #${n} does not exist`);
          return found as never;
        },
        async close(caseNumber, input) {
          rec.closed.push({ caseNumber, reason: input.reason });
          return { caseNumber };
        },
        async triage(caseNumber, input, ctx) {
          if (rec.triaged.some((t) => t.caseNumber === caseNumber)) {
            throw new CaseOperationError('conflict', `case #${caseNumber}: the report is already triaged`);
          }
          rec.triaged.push({ caseNumber, ...input, ...ctx });
          return { caseNumber, phase: 'triaged', reporterNotified: caseNumber !== 2 };
        },
        async note(caseNumber, input, ctx) {
          rec.noted.push({ caseNumber, note: input.note, actor: ctx.actor, eventId: ctx.eventId });
          return { caseNumber };
        },
      },
    };
    bot = await startBot(createDiscordClient({ apiUrl: discord.apiUrl }), deps, discord.token);
  });

  afterEach(async () => {
    await bot.stop();
    assert.deepEqual(discord.checker.violations, [], 'all traffic matches the OpenAPI spec');
    assert.deepEqual(discord.unhandled, []);
    await discord.stop();
  });

  describe('messages', () => {
    it('routes a DM to the conversation of the only guild, keyed by the Discord message id', async () => {
      const sent = discord.userSendsDm(ana, 'I cannot log in');
      await waitFor(() => rec.messages.length === 1, 5000, 'the routed DM');
      const [{ input, event }] = rec.messages as [(typeof rec.messages)[0]];
      assert.equal(event.eventId, sent.id);
      assert.equal(event.text, 'I cannot log in');
      assert.deepEqual(input.user, { guildId, userId: ana, userName: 'ana' });
      assert.deepEqual(input.channel, { channelId: sent.channel_id, kind: 'dm' });
    });

    it('stops gracefully only once the messages it is routing have reached their conversations', async () => {
      // The bot role closes its case database right after stop(): a message still on its way then failed to route.
      let release!: () => void;
      rec.hold = new Promise((resolve) => (release = resolve));
      discord.userSendsDm(ana, 'written as the bot stops');
      await waitFor(() => rec.routing === 1, 5000, 'the DM on its way');
      let stopped = false;
      const stopping = bot.stop().then(() => (stopped = true));
      await new Promise((resolve) => setTimeout(resolve, 300));
      assert.equal(stopped, false, 'stop() waits for the message it is routing');
      release();
      await stopping;
      assert.deepEqual(
        rec.messages.map((m) => m.event.text),
        ['written as the bot stops'],
      );
    });

    it('stops within its bound when routing a message hangs', async () => {
      rec.hold = new Promise(() => undefined);
      discord.userSendsDm(ana, 'never answered');
      await waitFor(() => rec.routing === 1, 5000, 'the DM on its way');
      const started = Date.now();
      await bot.stop({ waitMs: 500 });
      assert.ok(Date.now() - started < 5000, 'stop() gave up waiting');
      assert.deepEqual(rec.messages, []);
    });

    it("ignores the bot's own messages and ordinary channels", async () => {
      const dm = discord.dmChannelFor(ana);
      discord.addMessage(newMessage(dm, discord.botUser, { content: 'bot talking' }));
      discord.userSendsInChannel(ana, supportChannelId, 'hello everyone');
      discord.userSendsDm(ana, 'marker');
      await waitFor(() => rec.messages.length >= 1, 5000, 'the marker DM');
      await new Promise((r) => setTimeout(r, 200));
      assert.deepEqual(
        rec.messages.map((m) => m.event.text),
        ['marker'],
      );
    });

    it("routes the user's words in their private support thread, not staff's", async () => {
      const thread = discord.addChannel({
        ...discord.requireChannel(supportChannelId),
        id: `${Date.now()}1`,
        type: ChannelType.PrivateThread,
        parentId: supportChannelId,
        name: `help-ana-${ana}`,
        ownerId: discord.botUser.id,
        threadMembers: new Set([ana]),
        overwrites: [],
      });
      discord.userSendsInChannel(staff, thread.id, 'staff note');
      discord.userSendsInChannel(ana, thread.id, 'still broken');
      await waitFor(() => rec.messages.length >= 1, 5000, 'the thread message');
      await new Promise((r) => setTimeout(r, 200));
      assert.deepEqual(
        rec.messages.map((m) => m.event.text),
        ['still broken'],
        'content arrives (MessageContent intent)',
      );
      assert.deepEqual(rec.messages[0]!.input.channel, { channelId: thread.id, kind: 'thread' });
    });
  });

  describe('/helpme and /close', () => {
    it('/helpme defers within the deadline, then links the DM in an ephemeral reply', async () => {
      const i = await discord.waitForReply(discord.runSlashCommand(ana, supportChannelId, 'helpme'));
      assert.equal(i.callback!.type, InteractionResponseType.DeferredChannelMessageWithSource);
      assert.ok(i.callback!.at - i.dispatchedAt < 3000);
      assert.ok(isEphemeral(i));
      assert.match(
        reply(i),
        /opened a private support conversation in your DMs: https:\/\/discord\.com\/channels\/@me\/\d+/,
      );
      assert.deepEqual(rec.opened[0]!.user, { guildId, userId: ana, userName: 'ana' });
      const again = await discord.waitForReply(discord.runSlashCommand(ana, supportChannelId, 'helpme'));
      assert.match(reply(again), /still open/);
    });

    it('/close signals userClose, or says there is nothing to close', async () => {
      const none = await discord.waitForReply(discord.runSlashCommand(ana, supportChannelId, 'close'));
      assert.match(reply(none), /no open support conversation/);
      rec.running.add(supportWorkflowId(guildId, ana));
      const i = await discord.waitForReply(discord.runSlashCommand(ana, supportChannelId, 'close'));
      assert.match(reply(i), /Closing/);
      assert.deepEqual(rec.actions, [
        {
          workflowId: supportWorkflowId(guildId, ana),
          action: { signal: 'userClose', event: { eventId: i.id } },
        },
      ]);
    });

    it('turns an unexpected failure into an apology with a reference id', async () => {
      rec.openFails = true;
      const i = await discord.waitForReply(discord.runSlashCommand(ana, supportChannelId, 'helpme'));
      assert.match(reply(i), /Reference: `[0-9a-f]{8}`/);
      assert.doesNotMatch(reply(i), /temporal is down/);
    });
  });

  describe('buttons', () => {
    it('"Talk to a human" and the rating buttons in a DM reach the conversation', async () => {
      rec.running.add(supportWorkflowId(guildId, ana));
      const dm = discord.dmChannelFor(ana);
      const posted = newMessage(dm, discord.botUser, { content: 'Did that help?' });
      discord.addMessage(posted);
      const human = await discord.waitForReply(
        discord.pressButton(ana, posted, encodeCustomId({ kind: 'request_human' })),
      );
      assert.match(reply(human), /human/);
      const rated = await discord.waitForReply(
        discord.pressButton(ana, posted, encodeCustomId({ kind: 'rating', rating: 4 })),
      );
      assert.match(reply(rated), /4\/5/);
      assert.deepEqual(
        rec.actions.map((a) => a.action),
        [
          { signal: 'requestHuman', event: { eventId: human.id } },
          { signal: 'rating', event: { eventId: rated.id, rating: 4 } },
        ],
      );
    });

    it('answers a button it does not know instead of failing silently', async () => {
      const posted = newMessage(discord.dmChannelFor(ana), discord.botUser, { content: 'old' });
      discord.addMessage(posted);
      const i = await discord.waitForReply(discord.pressButton(ana, posted, 'someone-else:thing'));
      assert.match(reply(i), /no longer active/);
    });
  });

  describe('/bug and /new_feature', () => {
    it('refuses outside the bug-report channel', async () => {
      const i = await discord.waitForReply(discord.runSlashCommand(ana, supportChannelId, 'bug'));
      assert.match(reply(i), /#bug-reports/);
      assert.ok(isEphemeral(i));
    });

    it('shows the modal, files the bug with validated fields, confirms the case number and posts a summary', async () => {
      const { id: bugChannel } = discord.addChannel({
        ...discord.requireChannel(supportChannelId),
        id: `${Date.now()}2`,
        name: 'bug-reports',
      });
      const cmd = await discord.waitForReply(discord.runSlashCommand(ana, bugChannel, 'bug'));
      assert.equal(cmd.callback!.type, InteractionResponseType.Modal);
      assert.equal(cmd.callback!.data!.custom_id, encodeCustomId({ kind: 'bug_modal' }));

      const blank = await discord.waitForReply(
        discord.submitModal(ana, bugChannel, 'fc:bug_modal', {
          title: '  ',
          what_happened: 'x',
          steps: 'y',
          expected: 'z',
        }),
      );
      assert.match(reply(blank), /Title is required/);
      assert.equal(rec.reports.length, 0);

      const submit = discord.submitModal(ana, bugChannel, 'fc:bug_modal', {
        title: 'Export crashes',
        what_happened: 'The app closes',
        steps: 'Click export',
        expected: 'A CSV file',
        platform: 'Android 14',
      });
      await discord.waitForReply(submit);
      assert.match(reply(submit), /case #42/);
      assert.ok(isEphemeral(submit));
      assert.equal(rec.reports[0]!.idempotencyKey, submit.id);
      assert.equal(rec.reports[0]!.type, 'bug');
      assert.equal(rec.reports[0]!.title, 'Export crashes');
      assert.equal(rec.reports[0]!.fields['Platform / version'], 'Android 14');
      const summary = await discord.waitForMessage(bugChannel, (m) => m.embeds.length > 0);
      assert.equal(summary.embeds[0]!.title, '#42 · Export crashes');
    });

    it('/new_feature opens its own modal in the feature-request channel', async () => {
      const { id: channel } = discord.addChannel({
        ...discord.requireChannel(supportChannelId),
        id: `${Date.now()}3`,
        name: 'feature-requests',
      });
      const cmd = await discord.waitForReply(discord.runSlashCommand(ana, channel, 'new_feature'));
      assert.equal(cmd.callback!.data!.custom_id, encodeCustomId({ kind: 'feature_modal' }));
      const submit = await discord.waitForReply(
        discord.submitModal(ana, channel, 'fc:feature_modal', {
          title: 'Dark mode',
          description: 'Dark',
          why: 'Eyes',
        }),
      );
      assert.match(reply(submit), /feature request is case #42/);
      assert.equal(rec.reports[0]!.type, 'feature');
    });

    it('pings nobody with what a reporter wrote: the confirmation, the public summary and case lists', async () => {
      const hostile = `@everyone @here <@&${staffRoleId}> <@${staff}> <@!${admin}>`;
      const { id: bugChannel } = discord.addChannel({
        ...discord.requireChannel(supportChannelId),
        id: `${Date.now()}4`,
        name: 'bug-reports',
      });
      const submit = discord.submitModal(ana, bugChannel, 'fc:bug_modal', {
        title: hostile,
        what_happened: hostile,
        steps: hostile,
        expected: hostile,
        platform: hostile,
      });
      await discord.waitForReply(submit);
      const summary = await discord.waitForMessage(bugChannel, (m) => m.embeds.length > 0);
      rec.cases = [
        {
          number: 42,
          type: 'bug',
          status: 'open',
          priority: 'normal',
          guildId,
          reporter: { discordId: ana, name: hostile },
          title: hostile,
          createdAt: '2026-01-01T00:00:00Z',
          updatedAt: '2026-01-01T00:00:00Z',
        },
      ];
      const list = await discord.waitForReply(
        discord.runSlashCommand(staff, supportChannelId, 'case', { all: true }, 'list'),
      );
      assert.ok(reply(list).includes(`<@&${staffRoleId}>`), 'the title is shown as written');
      for (const message of [submit.original!, summary, list.original!]) {
        const record = discord.mentionLog.get(message.id);
        assert.ok(record?.allowedMentions, `${JSON.stringify(message.content)} sets allowed_mentions`);
        assert.deepEqual(record.pings, { everyone: false, roles: [], users: [] }, message.content);
      }
    });
  });

  describe('/case', () => {
    const summary = (number: number, g: string, reporter: string): CaseSummary => ({
      number,
      type: 'bug',
      status: 'open',
      priority: 'normal',
      guildId: g,
      reporter: { discordId: reporter, name: 'x' },
      title: `case ${number}`,
      createdAt: '2026-01-01T00:00:00Z',
      updatedAt: '2026-01-01T00:00:00Z',
    });

    it("lists a user's own cases; only staff list all and close, and only this guild's cases", async () => {
      rec.cases = [summary(1, guildId, ana), summary(2, guildId, staff), summary(3, 'other-guild', ana)];
      const mine = await discord.waitForReply(
        discord.runSlashCommand(ana, supportChannelId, 'case', {}, 'list'),
      );
      assert.match(reply(mine), /#1 /);
      assert.doesNotMatch(reply(mine), /#2 |#3 /);
      const notStaff = await discord.waitForReply(
        discord.runSlashCommand(ana, supportChannelId, 'case', { all: true }, 'list'),
      );
      assert.match(reply(notStaff), /Only staff/);
      const all = await discord.waitForReply(
        discord.runSlashCommand(staff, supportChannelId, 'case', { all: true }, 'list'),
      );
      assert.match(reply(all), /#1 [\s\S]*#2 /);
      assert.doesNotMatch(reply(all), /#3 /);

      const userClose = await discord.waitForReply(
        discord.runSlashCommand(ana, supportChannelId, 'case', { number: 1, reason: 'done' }, 'close'),
      );
      assert.match(reply(userClose), /Only staff/);
      const foreign = await discord.waitForReply(
        discord.runSlashCommand(staff, supportChannelId, 'case', { number: 3, reason: 'spam' }, 'close'),
      );
      assert.match(reply(foreign), /no case #3 in this server/);
      const closed = await discord.waitForReply(
        discord.runSlashCommand(
          staff,
          supportChannelId,
          'case',
          { number: 1, reason: 'fixed in 2.1' },
          'close',
        ),
      );
      assert.match(reply(closed), /Closed case #1/);
      assert.deepEqual(rec.closed, [{ caseNumber: 1, reason: 'fixed in 2.1' }]);
    });

    it('lets only staff triage, only cases of this guild, and shows why a triage is refused', async () => {
      rec.cases = [summary(1, guildId, ana), summary(2, guildId, ana), summary(3, 'other-guild', ana)];
      const run = (user: string, options: Record<string, string | number>) =>
        discord.waitForReply(discord.runSlashCommand(user, supportChannelId, 'case', options, 'triage'));

      assert.match(reply(await run(ana, { number: 1 })), /Only staff can triage cases/);
      assert.match(reply(await run(staff, { number: 3 })), /no case #3 in this server/);
      assert.match(reply(await run(staff, { number: 9 })), /no case #9 in this server/);
      assert.equal(rec.triaged.length, 0, 'nothing reached the case operations');

      const ok = await run(staff, { number: 1, note: '  looking at the logs  ' });
      assert.ok(isEphemeral(ok));
      assert.equal(reply(ok), 'Triaged case #1. The reporter gets a DM.');
      // Server administrators without the staff role are not staff here.
      assert.match(reply(await run(admin, { number: 2 })), /Only staff/);
      const closedDms = await run(staff, { number: 2 });
      assert.match(reply(closedDms), /Triaged case #2\. \(The reporter has DMs closed\.\)/);
      const twice = await run(staff, { number: 1 });
      assert.match(reply(twice), /already triaged/);

      assert.equal(rec.triaged.length, 2);
      assert.deepEqual(
        rec.triaged.map(({ caseNumber, note, actor }) => ({ caseNumber, note, actor })),
        [
          { caseNumber: 1, note: 'looking at the logs', actor: `discord:${staff}` },
          { caseNumber: 2, note: undefined, actor: `discord:${staff}` },
        ],
      );
      // The interaction id makes the action idempotent should Discord deliver it twice.
      assert.ok(rec.triaged.every((t) => typeof t.eventId === 'string' && t.eventId.length > 0));
    });

    it('lets only staff add a private note to a case of this guild, and says the reporter does not see it', async () => {
      rec.cases = [summary(1, guildId, ana), summary(3, 'other-guild', ana)];
      const run = (user: string, options: Record<string, string | number>) =>
        discord.waitForReply(discord.runSlashCommand(user, supportChannelId, 'case', options, 'note'));

      assert.match(reply(await run(ana, { number: 1, text: 'I am staff, honest' })), /Only staff/);
      assert.match(reply(await run(staff, { number: 3, text: 'x' })), /no case #3 in this server/);
      const ok = await run(staff, { number: 1, text: '  Refunded once already  ' });
      assert.ok(isEphemeral(ok));
      assert.equal(reply(ok), 'Added a private note to case #1. The reporter does not see it.');
      assert.deepEqual(
        rec.noted.map(({ caseNumber, note, actor }) => ({ caseNumber, note, actor })),
        [{ caseNumber: 1, note: 'Refunded once already', actor: `discord:${staff}` }],
      );
      assert.equal(rec.noted[0]!.eventId, ok.id, 'the interaction id makes the note idempotent');
      assert.deepEqual(discord.messagesIn(discord.dmChannelFor(ana).id), [], 'nothing reached the reporter');
    });
  });

  describe('/setup_channels', () => {
    it('is refused to non-admins; for admins creates the channels once with staff-only posting in announcements', async () => {
      const refused = await discord.waitForReply(
        discord.runSlashCommand(ana, supportChannelId, 'setup_channels'),
      );
      assert.match(reply(refused), /administrators/);
      const first = await discord.waitForReply(
        discord.runSlashCommand(admin, supportChannelId, 'setup_channels'),
      );
      assert.match(reply(first), /Created: announcements, bug-reports, feature-requests/);
      const announcements = discord.channelByName(guildId, 'announcements')!;
      assert.equal(announcements.type, ChannelType.GuildAnnouncement);
      const everyone = announcements.overwrites.find((o) => o.id === guildId)!;
      assert.ok((BigInt(everyone.deny) & (1n << 11n)) !== 0n, '@everyone may not send');
      const staffOw = announcements.overwrites.find((o) => o.id === staffRoleId)!;
      assert.ok((BigInt(staffOw.allow) & (1n << 11n)) !== 0n, 'staff may send');
      const again = await discord.waitForReply(
        discord.runSlashCommand(admin, supportChannelId, 'setup_channels'),
      );
      assert.match(reply(again), /Created: none · Repaired: none/);
    });

    it('creates the staff follow-up channel hidden from everyone but the staff role and the bot, and repairs it', async () => {
      const VIEW = 1n << 10n;
      const SEND = 1n << 11n;
      const first = await discord.waitForReply(
        discord.runSlashCommand(admin, supportChannelId, 'setup_channels'),
      );
      assert.match(reply(first), /Created: [^·]*case-followup/);
      const channel = discord.channelByName(guildId, 'case-followup')!;
      assert.equal(channel.type, ChannelType.GuildText);
      const of = (id: string) => channel.overwrites.find((o) => o.id === id);
      assert.ok((BigInt(of(guildId)!.deny) & VIEW) !== 0n, '@everyone may not see it');
      assert.equal(BigInt(of(guildId)!.allow) & VIEW, 0n);
      assert.equal(BigInt(of(staffRoleId)!.allow) & (VIEW | SEND), VIEW | SEND, 'staff read and write');
      assert.equal(of(staffRoleId)!.type, 0, 'a role overwrite');
      assert.equal(BigInt(of(discord.botUser.id)!.allow) & (VIEW | SEND), VIEW | SEND, 'the bot posts');
      assert.equal(of(discord.botUser.id)!.type, 1, 'a member overwrite');
      assert.equal(of(ana), undefined);

      // Someone opened it to everyone: the next run puts the deny back.
      of(guildId)!.deny = '0';
      const repaired = await discord.waitForReply(
        discord.runSlashCommand(admin, supportChannelId, 'setup_channels'),
      );
      assert.match(reply(repaired), /Repaired: case-followup/);
      assert.ok((BigInt(of(guildId)!.deny) & VIEW) !== 0n);
    });
  });
});
