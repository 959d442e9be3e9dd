import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { type BrowserContext, chromium, type Page } from 'playwright-core';
import { type PlaygroundState } from '../src/sandbox/playground/view-model';
import { type SandboxProcess, startSandboxProcess } from './support/sandbox-process';

/*
 * The playground clicked through in a real browser: Debian's Chromium, headless, driven by playwright-core (no
 * browser download). The member asks for help, reads the article, asks for a human; the agent accepts and replies
 * in the agent pane; the reply shows in the member pane; the member answers with a file; the chat is transferred
 * to the other agent, who replies and closes; the member rates. Then what issue 13 and the stats added: staff
 * notes (kept from the reporter, carried to the next Flex task with the member's language), edits and removals
 * both ways, a refused file, the agent's file, the member's Discord language, blocks from the staff view and from
 * Discord, the support stats per period. A failed run keeps a screenshot (path printed);
 * `PLAYGROUND_SCREENSHOT=docs/playground.png` saves the README's picture.
 */
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const ARTIFACTS = path.resolve(__dirname, '..', 'test-results');

describe('playground in a real browser', function () {
  this.timeout(180_000);
  let sandbox: SandboxProcess | undefined;
  let browser: BrowserContext | undefined;
  let page: Page | undefined;
  let dataDir: string;
  let profileDir: string;

  before(async function () {
    if (!fs.existsSync(CHROMIUM)) {
      // CI installs it (scripts/ci/chromium.sh, called by .ci/run); a developer machine may not have it yet.
      if (process.env.CI) throw new Error(`no Chromium at ${CHROMIUM}: run scripts/ci/chromium.sh`);
      console.warn(`skipped: no Chromium at ${CHROMIUM} (install it with: bash scripts/ci/chromium.sh)`);
      this.skip();
    }
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'flexcord-browser-'));
    profileDir = fs.mkdtempSync(path.join(os.tmpdir(), 'flexcord-chromium-'));
    // One report per member per hour, so the second shows the rate limit's answer (the default is 5).
    sandbox = await startSandboxProcess(['sandbox'], dataDir, { RATE_LIMIT_REPORTS: '1' });
    // A fresh profile per run (playwright passes it to Chromium as --user-data-dir).
    browser = await chromium.launchPersistentContext(profileDir, {
      executablePath: CHROMIUM,
      viewport: { width: 1440, height: 900 },
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    });
    page = browser.pages()[0] ?? (await browser.newPage());
  });

  afterEach(async function () {
    if (this.currentTest?.state === 'failed' && page) {
      fs.mkdirSync(ARTIFACTS, { recursive: true });
      const file = path.join(ARTIFACTS, `playground-failure-${Date.now()}.png`);
      await page.screenshot({ path: file, fullPage: true }).catch(() => undefined);
      console.error(`screenshot of the failed run: ${file}`);
      console.error(sandbox?.output().split('\n').slice(-40).join('\n'));
    }
  });

  after(async () => {
    await browser?.close();
    await sandbox?.stop();
    for (const dir of [dataDir, profileDir]) if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  it('plays a support conversation end to end by clicking', async () => {
    const p = page!;
    const member = p.locator('#discord-pane');
    const desk = p.locator('#flex-pane');
    await p.goto(sandbox!.playgroundUrl);
    await p.locator('#connection', { hasText: 'live' }).waitFor();

    // /helpme in #support: the ephemeral answer points to the DM.
    await member.locator('[data-channel="support"]').click();
    await member.locator('[data-command="helpme"]').click();
    await member.locator('.msg.ephemeral', { hasText: 'private support conversation' }).waitFor();

    // The DM: the greeting, then a question and the knowledge-base article.
    await member.locator('[data-channel="dm"]').click();
    await member.locator('.msg', { hasText: "I'm the support bot" }).waitFor();
    await p.locator('#composer-text').fill('The game crashes on startup, what can I do?');
    await p.locator('#composer button[type="submit"]').click();
    const answer = member.locator('.msg', { hasText: 'These articles look like a match' });
    await answer.waitFor();
    assert.match(await answer.locator('.embed .title').first().innerText(), /crash/i);

    // Talk to a human: the case opens and the task reaches the agent's queue with the case and the transcript.
    await answer.locator('button[data-custom-id*="request_human"]').click();
    const opened = member.locator('.msg', { hasText: /Case #\d+ opened/ });
    await opened.waitFor();
    const caseNumber = /Case #(\d+)/.exec(await opened.innerText())![1]!;
    const task = desk.locator('#queue .card', { hasText: `Case #${caseNumber}` });
    await task.waitFor();
    assert.match(await task.locator('.excerpt').innerText(), /crashes on startup/);

    // The agent accepts and replies; the member reads the reply in Discord.
    await task.locator('[data-action="accept"]').click();
    await desk.locator('#my-chats .card', { hasText: `Case #${caseNumber}` }).waitFor();
    await member.locator('.msg', { hasText: 'joined the conversation' }).waitFor();
    await p.locator('#agent-text').fill('Please update your graphics driver and restart the game.');
    await p.locator('#agent-composer button[type="submit"]').click();
    await member.locator('.msg', { hasText: 'update your graphics driver' }).waitFor();
    await desk.locator('#chat-messages .msg', { hasText: 'update your graphics driver' }).waitFor();

    // The member answers with a file; the agent reads it, with the file's link, in the desk.
    await p.locator('#composer-text').fill('Still crashing, here is my log.');
    await p.locator('#composer-file').setInputFiles({
      name: 'crash-log.txt',
      mimeType: 'text/plain',
      buffer: Buffer.from('E/Starfall: GPU driver lost\n'),
    });
    await p.locator('#composer button[type="submit"]').click();
    // The file reached Flex as media of its own (uploaded to the Media Content Service), not as a Discord link.
    await desk
      .locator('#chat-messages .msg a[href^="/sandbox/api/agent/media/ME"]', { hasText: 'crash-log.txt' })
      .waitFor();

    // Alice transfers the chat; it waits in the queue until Ben accepts it, and Ben's reply reaches the member.
    await p.locator('#transfer').click();
    await desk.locator('#agent-tabs button', { hasText: 'Ben Okafor' }).click();
    const transferred = desk.locator('#queue .card', { hasText: `Case #${caseNumber}` });
    await transferred.locator('[data-action="accept"]').click();
    await desk.locator('#my-chats .card', { hasText: `Case #${caseNumber}` }).waitFor();
    await p.locator('#agent-text').fill('Ben here: a fix for that crash ships tomorrow.');
    await p.locator('#agent-composer button[type="submit"]').click();
    await member.locator('.msg', { hasText: 'a fix for that crash ships tomorrow' }).waitFor();

    // Ben ends the chat and completes wrap-up; the member is told and rates 5.
    await p.locator('#end-chat').click();
    await p.locator('#complete').click();
    const prompt = member.locator('.msg', { hasText: 'How did we do' });
    await prompt.waitFor();
    await prompt.locator('button[data-custom-id*="rating:5"]').click();
    // The bot's own acknowledgement (only the member sees it); the conversation thanks them in the DM as well.
    await member.locator('.msg.ephemeral', { hasText: 'Thanks for rating us 5/5' }).waitFor();

    // The staff view lists the case as closed.
    await p.locator('#cases tr[data-case="' + caseNumber + '"] td', { hasText: 'closed' }).waitFor();
  });

  let bugCase = '';

  it('files a bug through its form, and staff triage it from Discord; the reporter hears of it', async () => {
    const p = page!;
    const member = p.locator('#discord-pane');
    await member.locator('[data-person="member"]').click();
    await member.locator('[data-channel="bug-reports"]').click();
    await member.locator('[data-command="bug"]').click();
    const form = p.locator('#modal');
    await form.locator('[data-field="title"]').waitFor();
    await form.locator('[data-field="title"]').fill('Shop button does nothing');
    await form.locator('[data-field="what_happened"]').fill('Tapping Shop in the lobby does nothing.');
    await form.locator('[data-field="steps"]').fill('Open the game, tap Shop.');
    await form.locator('[data-field="expected"]').fill('The shop opens.');
    await form.locator('button[type="submit"]').click();
    const filed = member.locator('.msg.ephemeral', { hasText: /bug report is case #\d+/ });
    await filed.waitFor();
    bugCase = /case #(\d+)/.exec(await filed.innerText())![1]!;
    await p.locator(`#cases tr[data-case="${bugCase}"]`).waitFor();

    // Staff use /case triage in Discord; the reporter gets a DM.
    await member.locator('[data-person="staff"]').click();
    await member.locator('[data-channel="bug-reports"]').click();
    await p.locator('#composer-text').fill(`/case triage number:${bugCase} note:We can reproduce it.`);
    await p.locator('#composer button[type="submit"]').click();
    await member.locator('.msg.ephemeral', { hasText: `Triaged case #${bugCase}` }).waitFor();
    await member.locator('[data-person="member"]').click();
    await member.locator('[data-channel="dm"]').click();
    await member.locator('.msg', { hasText: 'has been triaged' }).waitFor();
  });

  it('keeps staff notes from the reporter and hands them to Flex with the language; edits, removals and files go both ways', async () => {
    const p = page!;
    const member = p.locator('#discord-pane');
    const desk = p.locator('#flex-pane');
    const staffView = p.locator('#staff-pane');
    const note = 'Reporter plays on a Pixel 7; staff eyes only.';

    // Staff open the bug case in the staff view and add a private note (POST /api/cases/:n/note).
    await staffView.locator(`#cases tr[data-case="${bugCase}"]`).click();
    await staffView.locator('#case-title', { hasText: `Case #${bugCase}` }).waitFor();
    await p.locator('#note-text').fill(note);
    await p.locator('#note-form button[type="submit"]').click();
    await staffView.locator('#case-notes li', { hasText: note }).waitFor();

    // ana asks for a person again: the new task carries her language and the staff's latest note.
    await member.locator('[data-person="member"]').click();
    await member.locator('[data-channel="dm"]').click();
    // Saying so is enough: the bot recognises a request for a person.
    await p.locator('#composer-text').fill('The shop button still does nothing, I need a person.');
    await p.locator('#composer button[type="submit"]').click();
    const task = desk.locator('#queue .card', { hasText: note });
    await task.waitFor();
    assert.equal(await task.locator('[data-language]').getAttribute('data-language'), 'en');
    await desk.locator('[data-agent="alice_40starfall_2Egame"]').click();
    const newCase = /Case #(\d+)/.exec(await task.innerText())![1]!;
    await task.locator('[data-action="accept"]').click();
    await desk.locator('#my-chats .card.selected', { hasText: `Case #${newCase}` }).waitFor();

    // Alice replies, then edits the reply in Flex: the member's copy in Discord changes and shows it was edited.
    await p.locator('#agent-text').fill('Please reinstall the game.');
    await p.locator('#agent-composer button[type="submit"]').click();
    const reply = desk.locator('#chat-messages .msg', { hasText: 'Please reinstall the game.' });
    await reply.waitFor();
    await member.locator('.msg', { hasText: 'Please reinstall the game.' }).waitFor();
    await reply.locator('[data-action="edit-reply"]').click();
    await p.locator('#agent-text').fill('Please clear the game cache first.');
    await p.locator('#agent-composer button[type="submit"]').click();
    const edited = member.locator('.msg', { hasText: 'Please clear the game cache first.' });
    await edited.locator('.edited').waitFor();
    assert.equal(await member.locator('.msg', { hasText: 'Please reinstall the game.' }).count(), 0);

    // A reply Alice removes in Flex disappears from Discord.
    await p.locator('#agent-text').fill('Wrong customer, sorry.');
    await p.locator('#agent-composer button[type="submit"]').click();
    await member.locator('.msg', { hasText: 'Wrong customer, sorry.' }).waitFor();
    await desk
      .locator('#chat-messages .msg', { hasText: 'Wrong customer, sorry.' })
      .locator('[data-action="remove-reply"]')
      .click();
    await member.locator('.msg', { hasText: 'Wrong customer, sorry.' }).waitFor({ state: 'detached' });

    // ana edits a message in Discord (MESSAGE_UPDATE): Flex shows the new text; a deleted one (MESSAGE_DELETE) goes.
    await p.locator('#composer-text').fill('It happens on my tablet.');
    await p.locator('#composer button[type="submit"]').click();
    await desk.locator('#chat-messages .msg', { hasText: 'It happens on my tablet.' }).waitFor();
    await member
      .locator('.msg', { hasText: 'It happens on my tablet.' })
      .locator('[data-action="edit-message"]')
      .click();
    await p.locator('#composer-text').fill('It happens on my phone, not the tablet.');
    await p.locator('#composer button[type="submit"]').click();
    await desk
      .locator('#chat-messages .msg', { hasText: 'It happens on my phone, not the tablet.' })
      .locator('.edited')
      .waitFor();
    await p.locator('#composer-text').fill('Oops, typed into the wrong window.');
    await p.locator('#composer button[type="submit"]').click();
    await desk.locator('#chat-messages .msg', { hasText: 'wrong window' }).waitFor();
    await member
      .locator('.msg', { hasText: 'wrong window' })
      .locator('[data-action="delete-message"]')
      .click();
    await desk.locator('#chat-messages .msg', { hasText: 'wrong window' }).waitFor({ state: 'detached' });

    // A file Flex would not take is refused with the reason, and nothing reaches the agent.
    await p.locator('#composer-file').setInputFiles({
      name: 'cheat-tool.exe',
      mimeType: 'application/octet-stream',
      buffer: Buffer.from('MZ not really a program'),
    });
    await p.locator('#composer button[type="submit"]').click();
    await member.locator('.msg', { hasText: /"cheat-tool\.exe".*isn't accepted/ }).waitFor();
    assert.equal(await desk.locator('#chat-messages .msg', { hasText: 'cheat-tool.exe' }).count(), 0);

    // Alice sends a file from the desk; ana gets it as flexcord's signed media link, which serves the file.
    await p.locator('#agent-file').setInputFiles({
      name: 'cache-steps.txt',
      mimeType: 'text/plain',
      buffer: Buffer.from('1. Settings\n2. Storage\n3. Clear cache\n'),
    });
    await p.locator('#agent-text').fill('These steps clear it.');
    await p.locator('#agent-composer button[type="submit"]').click();
    const link = member.locator('.msg a[href*="/media/twilio/"]', { hasText: 'cache-steps.txt' });
    await link.waitFor();
    const download = await fetch((await link.getAttribute('href'))!);
    assert.equal(download.status, 200);
    assert.match(await download.text(), /3\. Clear cache/);
    // The README's picture: every pane busy (the task's language and notes, the case's note, the stats).
    if (process.env.PLAYGROUND_SCREENSHOT) await p.screenshot({ path: process.env.PLAYGROUND_SCREENSHOT });

    // Alice ends the chat; the staff note never reached ana.
    await p.locator('#end-chat').click();
    await p.locator('#complete').click();
    await member.locator('.msg', { hasText: 'How did we do' }).last().waitFor();
    assert.equal(await member.locator('.msg', { hasText: 'staff eyes only' }).count(), 0);
  });

  it("answers /helpme in the language of the member's Discord client", async () => {
    const p = page!;
    const member = p.locator('#discord-pane');
    // sam has no conversation yet: Spanish in his Discord client, then /helpme.
    await member.locator('[data-person="staff"]').click();
    await p.locator('#locale').selectOption('es-ES');
    await member.locator('[data-channel="support"]').click();
    await member.locator('[data-command="helpme"]').click();
    await member
      .locator('.msg.ephemeral', { hasText: 'He abierto una conversación de soporte privada' })
      .waitFor();
    await member.locator('[data-channel="dm"]').click();
    await member.locator('.msg', { hasText: 'Soy el bot de soporte' }).waitFor();
    assert.equal(await p.locator('#locale').inputValue(), 'es-ES');
  });

  it('blocks and unblocks a member from the staff view, with a reason and an expiry', async () => {
    const p = page!;
    const member = p.locator('#discord-pane');
    const staffView = p.locator('#staff-pane');
    await p.locator('#block-user').selectOption({ label: 'ana' });
    await p.locator('#block-reason').fill('Spamming the queue');
    await p.locator('#block-days').fill('2');
    await p.locator('#block-form button[type="submit"]').click();
    const row = staffView.locator('#blocks tr[data-block-user="ana"]');
    await row.waitFor();
    assert.match(await row.innerText(), /Spamming the queue/);
    assert.doesNotMatch(await row.innerText(), /unblocked/, 'a 2-day block shows when it ends');

    // ana's /helpme is refused politely.
    await member.locator('[data-person="member"]').click();
    await member.locator('[data-channel="support"]').click();
    await member.locator('[data-command="helpme"]').click();
    await member.locator('.msg.ephemeral', { hasText: "you can't use support in this server" }).waitFor();

    // Unblocked, she is helped again.
    await row.locator('[data-action="unblock"]').click();
    await row.waitFor({ state: 'detached' });
    await member.locator('[data-command="helpme"]').click();
    await member.locator('.msg.ephemeral', { hasText: 'private support conversation' }).last().waitFor();

    // Staff can do the same from Discord: sam's /case block shows in the staff view's list, as his.
    const anaId = (await p.locator('#block-user option', { hasText: 'ana' }).getAttribute('value'))!;
    await member.locator('[data-person="staff"]').click();
    await member.locator('[data-channel="support"]').click();
    await p.locator('#composer-text').fill(`/case block user:${anaId} reason:Second warning`);
    await p.locator('#composer button[type="submit"]').click();
    const fromDiscord = staffView.locator('#blocks tr[data-block-user="ana"]', { hasText: 'Second warning' });
    await fromDiscord.waitFor();
    assert.match(await fromDiscord.innerText(), /by discord:\d+/);
    assert.match(await fromDiscord.innerText(), /unblocked/, 'no days: until someone unblocks her');
    await fromDiscord.locator('[data-action="unblock"]').click();
    await fromDiscord.waitFor({ state: 'detached' });
  });

  it('tells a member who files too many reports to wait', async () => {
    const p = page!;
    const member = p.locator('#discord-pane');
    await member.locator('[data-person="member"]').click();
    await member.locator('[data-channel="feature-requests"]').click();
    await member.locator('[data-command="new_feature"]').click();
    await member
      .locator('.msg.ephemeral', { hasText: "You've filed several reports in a short time" })
      .waitFor();
    assert.equal(await p.locator('#modal').isVisible(), false, 'no form opens');
  });

  it('shows the support stats of the server for the period picked', async () => {
    const p = page!;
    const stats = p.locator('#stats');
    await p.locator('#stats-period').selectOption('1h');
    const period = stats.locator('[data-period="1h"]');
    await period.waitFor();
    const from = Date.parse((await period.getAttribute('data-from'))!);
    const to = Date.parse((await period.getAttribute('data-to'))!);
    assert.equal(to - from, 3_600_000, 'the API was asked for the last hour');
    const count = async (stat: string) =>
      Number(await stats.locator(`tr[data-stat="${stat}"] td[data-count]`).getAttribute('data-count'));
    // ana's two conversations reached an agent (sam's did not), the first was rated 5, one bug report was filed.
    await stats.locator('tr[data-stat="reached an agent"] td[data-count="2"]').waitFor();
    assert.ok((await count('conversations')) >= 3);
    assert.equal(await count('satisfaction'), 1);
    assert.equal(await count('reports'), 1);
    assert.match(await stats.locator('tr[data-stat="satisfaction"]').innerText(), /5★ 1/);
  });

  it("refuses what the person could not do in Discord or Flex, and passes the API's refusals on", async () => {
    const base = sandbox!.playgroundUrl;
    const post = async (route: string, body: unknown) => {
      const res = await fetch(`${base}/api/${route}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
      return { status: res.status, error: ((await res.json()) as { error?: string }).error ?? '' };
    };
    const state = (await (await fetch(`${base}/api/state`)).json()) as PlaygroundState;
    const ana = state.people.find((person) => !person.staff)!;
    const dm = ana.channels.find((c) => c.kind === 'dm')!;
    const botMessage = dm.messages.find((m) => m.author.bot && !m.ephemeral)!;
    assert.deepEqual(
      await post('member/edit', {
        userId: ana.id,
        channelId: dm.id,
        messageId: botMessage.id,
        text: 'mine now',
      }),
      { status: 409, error: 'members edit and delete only their own messages' },
    );
    const conversation = state.conversations.find((c) =>
      c.messages.some((m) => m.author.startsWith('discord')),
    )!;
    const customerMessage = conversation.messages.find((m) => m.author.startsWith('discord'))!;
    assert.deepEqual(
      await post('agent/remove', {
        conversationSid: conversation.sid,
        agent: 'alice_40starfall_2Egame',
        messageSid: customerMessage.sid,
      }),
      { status: 409, error: 'agents edit and remove only their own messages' },
    );
    const blank = await post('staff/block', { userId: ana.id, reason: '  ' });
    assert.equal(blank.status, 409);
    assert.match(blank.error, /the API answered 400: .*a reason is required/);
    const missing = await post('staff/note', { caseNumber: 999_999, note: 'nobody reads this' });
    assert.match(missing.error, /the API answered 404/);
  });
});
