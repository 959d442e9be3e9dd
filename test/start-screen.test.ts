import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { freePort } from './support/free-port';
import { ONE_SCREEN_LINES } from './support/one-screen';

/*
 * What a newcomer reads after `npm start`: the start-up must fit on one terminal screen, so the addresses and the
 * warnings that matter are not scrolled away by the workflow bundler's webpack statistics or SDK chatter.
 */
const root = path.resolve(__dirname, '..');

/** Runs `flexcord <args>` until `ready` appears; returns everything printed until then, then stops it. */
async function startupOutput(args: string[], env: Record<string, string>, ready: RegExp): Promise<string> {
  const child: ChildProcess = spawn(process.execPath, [path.join(root, 'bin', 'flexcord.js'), ...args], {
    cwd: root,
    env: {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      NODE_ENV: 'development',
      ...(process.env.TEMPORAL_CLI_PATH ? { TEMPORAL_CLI_PATH: process.env.TEMPORAL_CLI_PATH } : {}),
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  try {
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no ${ready} within 90 s:\n${output}`)), 90_000);
      const onData = (c: Buffer) => {
        output += c.toString();
        if (ready.test(output)) {
          clearTimeout(timer);
          resolve();
        }
      };
      child.stdout!.on('data', onData);
      child.stderr!.on('data', onData);
      child.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`exited with ${code}:\n${output}`));
      });
    });
  } finally {
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    await exited;
  }
  // The lines up to and including the one that says it is ready.
  const lines = output.split('\n');
  const last = lines.findIndex((l) => ready.test(l));
  return lines.slice(0, last + 1).join('\n');
}

describe('flexcord start output', function () {
  this.timeout(120_000);

  it('fits on one screen: no webpack statistics, no SDK chatter', async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'flexcord-screen-'));
    try {
      const shown = await startupOutput(
        ['start'],
        {
          FLEXCORD_DATA_DIR: dataDir,
          KB_DIR: path.join(root, 'knowledge-base'),
          TEMPORAL_DEV_PORT: String(await freePort()),
          TEMPORAL_DEV_UI_PORT: String(await freePort()),
          HTTP_PORT: String(await freePort()),
          // One side's credentials: the regular start, not the offline sandbox.
          DISCORD_TOKEN: 'not-a-real-token',
        },
        /webhook server listening/,
      );
      assert.doesNotMatch(shown, /webpack|modules by path|asset workflow-bundle/);
      assert.doesNotMatch(shown, /Worker state changed/);
      const count = shown.split('\n').length;
      assert.ok(count <= ONE_SCREEN_LINES, `${count} lines before the server is ready:\n${shown}`);
      assert.match(shown, /Web UI: http:\/\/localhost:\d+/);
    } finally {
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
