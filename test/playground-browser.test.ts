import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { type BrowserContext, chromium, type Page } from 'playwright-core';
import { type SandboxProcess, startSandboxProcess } from './support/sandbox-process';

/*
 * The playground clicked through in a real browser: Debian's Chromium, headless, driven by playwright-core (no
 * browser download). The member asks for help, reads the article, asks for a human; the agent accepts and replies
 * in the agent pane; the reply shows in the member pane; the member answers with a file; the chat is transferred
 * to the other agent, who replies and closes; the member rates. A failed run keeps a
 * screenshot (path printed); `PLAYGROUND_SCREENSHOT=docs/playground.png` saves the README's picture.
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
    sandbox = await startSandboxProcess(['sandbox'], dataDir);
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
    await desk.locator('#chat-messages .msg', { hasText: 'crash-log.txt' }).waitFor();
    if (process.env.PLAYGROUND_SCREENSHOT) await p.screenshot({ path: process.env.PLAYGROUND_SCREENSHOT });

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
    const bugCase = /case #(\d+)/.exec(await filed.innerText())![1]!;
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
});
