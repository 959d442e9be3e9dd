import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Connection } from '@temporalio/client';
import { ALL_SEARCH_ATTRIBUTES } from '../src/shared/search-attributes';
import { freePort } from './support/free-port';

/*
 * `flexcord start` as a user runs it: a child process with no TEMPORAL_ADDRESS starts the embedded dev server
 * (persisted in its data dir, with the Web UI), the worker and the webhook server, and stops cleanly on SIGTERM.
 */
const root = path.resolve(__dirname, '..');

function waitForOutput(child: ChildProcess, pattern: RegExp, timeoutMs: number): Promise<string> {
  return new Promise((resolve, reject) => {
    let output = '';
    const timer = setTimeout(
      () => reject(new Error(`timed out waiting for ${pattern}; output:\n${output}`)),
      timeoutMs,
    );
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      if (pattern.test(output)) {
        clearTimeout(timer);
        resolve(output);
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`exited with ${code} before ${pattern}; output:\n${output}`));
    });
  });
}

describe('flexcord start (embedded dev server)', function () {
  this.timeout(120_000);
  let child: ChildProcess | undefined;
  let dataDir: string;

  before(() => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'flexcord-start-'));
  });
  after(() => {
    child?.kill('SIGKILL');
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('starts the server, worker and webhooks, prints the UI address, and shuts down gracefully', async () => {
    const [temporalPort, uiPort, httpPort] = [await freePort(), await freePort(), await freePort()];
    child = spawn(process.execPath, [path.join(root, 'bin', 'flexcord.js'), 'start'], {
      cwd: root,
      env: {
        PATH: process.env.PATH,
        HOME: process.env.HOME,
        NODE_ENV: 'development',
        LOG_FORMAT: 'json',
        FLEXCORD_DATA_DIR: dataDir,
        TEMPORAL_DEV_PORT: String(temporalPort),
        TEMPORAL_DEV_UI_PORT: String(uiPort),
        HTTP_PORT: String(httpPort),
        KB_DIR: path.join(root, 'knowledge-base'),
        ...(process.env.TEMPORAL_CLI_PATH ? { TEMPORAL_CLI_PATH: process.env.TEMPORAL_CLI_PATH } : {}),
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const output = await waitForOutput(child, /webhook server listening/, 90_000);
    assert.match(output, new RegExp(`Web UI: http://localhost:${uiPort}`));
    assert.match(output, /worker polling/);
    assert.ok(
      fs.existsSync(path.join(dataDir, 'temporal.db')),
      'dev server persists to <data dir>/temporal.db',
    );

    const health = await fetch(`http://127.0.0.1:${httpPort}/healthz`);
    assert.equal(health.status, 200);
    const ready = await fetch(`http://127.0.0.1:${httpPort}/readyz`);
    assert.deepEqual(await ready.json(), { status: 'ready', temporal: 'reachable' });
    const ui = await fetch(`http://127.0.0.1:${uiPort}/`);
    assert.equal(ui.status, 200);

    const connection = await Connection.connect({ address: `127.0.0.1:${temporalPort}` });
    try {
      const { customAttributes } = await connection.operatorService.listSearchAttributes({
        namespace: 'default',
      });
      for (const key of ALL_SEARCH_ATTRIBUTES)
        assert.ok(customAttributes?.[key.name], `${key.name} is registered`);
    } finally {
      await connection.close();
    }

    const exited = new Promise<number | null>((resolve) => child!.once('exit', (code) => resolve(code)));
    child.kill('SIGTERM');
    assert.equal(await exited, 0);
    child = undefined;
  });
});
