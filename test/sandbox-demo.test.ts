import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/*
 * `npx flexcord sandbox demo` as a newcomer runs it: a child process with nothing configured plays the whole story
 * through the real roles against the sandbox's Discord and Twilio, and says which step failed when one does.
 */
const root = path.resolve(__dirname, '..');

function runDemo(
  args: string[],
  env: Record<string, string> = {},
): Promise<{ code: number | null; output: string }> {
  const child = spawn(process.execPath, [path.join(root, 'bin', 'flexcord.js'), 'sandbox', 'demo', ...args], {
    cwd: root,
    env: {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      ...(process.env.TEMPORAL_CLI_PATH ? { TEMPORAL_CLI_PATH: process.env.TEMPORAL_CLI_PATH } : {}),
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (c: Buffer) => (output += c.toString()));
  child.stderr.on('data', (c: Buffer) => (output += c.toString()));
  return new Promise((resolve) => child.once('exit', (code) => resolve({ code, output })));
}

describe('flexcord sandbox demo', function () {
  this.timeout(150_000);

  it('plays the whole story through the real roles and passes on a first run', async () => {
    const { code, output } = await runDemo([]);
    assert.equal(code, 0, output);
    for (const step of [
      /✓ .*\/helpme in #support/,
      /✓ .*answers from the knowledge base: .*crash/i,
      /✓ .*"Talk to a human": case #\d+ opened/,
      /✓ .*Flex gets a task for the case/,
      /✓ .*agent Alice Moreno accepts: .*joined/,
      /✓ .*the agent replies; the member reads it in Discord/,
      /✓ .*the member replies with a file; the agent gets it: .*crash-log\.txt \(\d+ bytes\)/,
      /✓ .*the agent ends the chat/,
      /✓ .*the member rates 5\/5: .*closed with rating 5/,
      /✓ .*\/bug in #bug-reports.*case #\d+/,
      /✓ .*staff triage the report; the reporter gets a DM: .*triaged/,
      /✓ .*posted to #announcements/,
      /✓ .*OpenAPI specs/,
    ]) {
      assert.match(output, step);
    }
    // Each step says when it finished and how long it took.
    assert.match(output, /✓ +\d+\.\ds \( *\d+\.\ds\) {2}\/helpme/);
    assert.match(output, /demo passed: 14 steps/);
  });

  it('exits non-zero and names the step that failed', async () => {
    // A knowledge base without articles: the bot answers without one, so that step fails as soon as it answers.
    const emptyKb = fs.mkdtempSync(path.join(os.tmpdir(), 'flexcord-empty-kb-'));
    try {
      const { code, output } = await runDemo(['--step-timeout', '45'], { KB_DIR: emptyKb });
      assert.equal(code, 1, output);
      assert.match(
        output,
        /demo failed at step "the member asks in their DM; the bot answers from the knowledge base"/,
      );
      assert.match(output, /✗ .*the answer has no knowledge-base article/);
      assert.doesNotMatch(output, /demo passed/);
    } finally {
      fs.rmSync(emptyKb, { recursive: true, force: true });
    }
  });
});
