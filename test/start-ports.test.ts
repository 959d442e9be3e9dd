import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { freePort } from './support/free-port';
import { testEnv } from './support/global-fixtures';

/*
 * A second `flexcord start` while another runs: the ports it wants are taken. It must stop with one line naming the
 * port and the setting that moves it, instead of quietly using the other instance's Temporal server.
 */
const root = path.resolve(__dirname, '..');

function runStart(env: Record<string, string>): Promise<{ code: number | null; output: string }> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'flexcord-ports-'));
  const child: ChildProcess = spawn(process.execPath, [path.join(root, 'bin', 'flexcord.js'), 'start'], {
    cwd: root,
    env: {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      NODE_ENV: 'development',
      FLEXCORD_DATA_DIR: dataDir,
      KB_DIR: path.join(root, 'knowledge-base'),
      // Credentials for one side keep `npm start` out of the offline sandbox: this is about `flexcord start` itself.
      DISCORD_TOKEN: 'not-a-real-token',
      ...(process.env.TEMPORAL_CLI_PATH ? { TEMPORAL_CLI_PATH: process.env.TEMPORAL_CLI_PATH } : {}),
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (c: Buffer) => (output += c.toString()));
  child.stderr!.on('data', (c: Buffer) => (output += c.toString()));
  const timer = setTimeout(() => child.kill('SIGTERM'), 60_000);
  return new Promise((resolve) =>
    child.once('exit', (code) => {
      clearTimeout(timer);
      fs.rmSync(dataDir, { recursive: true, force: true });
      resolve({ code, output });
    }),
  );
}

describe('flexcord start when its ports are taken', function () {
  this.timeout(90_000);

  it('refuses a Temporal port another server holds, naming the port and TEMPORAL_DEV_PORT', async () => {
    // The shared test dev server plays the other instance.
    const taken = Number(testEnv().address.split(':').pop());
    const { code, output } = await runStart({
      TEMPORAL_DEV_PORT: String(taken),
      TEMPORAL_DEV_UI_PORT: String(await freePort()),
      HTTP_PORT: String(await freePort()),
    });
    assert.equal(code, 2, output);
    assert.match(output, new RegExp(`port ${taken} is already in use`));
    assert.match(output, /TEMPORAL_DEV_PORT/);
    assert.doesNotMatch(output, /Temporal dev server running/);
  });

  it('refuses a web server port in use, naming HTTP_PORT', async () => {
    const holder = net.createServer();
    await new Promise<void>((resolve) => holder.listen(0, '0.0.0.0', resolve));
    const taken = (holder.address() as net.AddressInfo).port;
    try {
      const { code, output } = await runStart({
        TEMPORAL_DEV_PORT: String(await freePort()),
        TEMPORAL_DEV_UI_PORT: String(await freePort()),
        HTTP_PORT: String(taken),
      });
      assert.equal(code, 2, output);
      assert.match(output, new RegExp(`port ${taken} is already in use`));
      assert.match(output, /HTTP_PORT/);
    } finally {
      holder.close();
    }
  });
});
