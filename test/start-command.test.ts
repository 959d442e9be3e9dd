import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Connection } from '@temporalio/client';
import { ALL_SEARCH_ATTRIBUTES } from '../src/shared/search-attributes';
import { freePort } from './support/free-port';
import { testEnv } from './support/global-fixtures';
import { uniqueTaskQueue } from './support/worker';
import type { selfTestWorkflow } from '../src/workflows/self-test';

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
        // One side's credentials: the regular start (with nothing set, `start` runs the offline sandbox instead).
        DISCORD_TOKEN: 'not-a-real-token',
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

describe('flexcord start --role (separate processes against a cluster)', function () {
  this.timeout(120_000);
  const children: ChildProcess[] = [];
  after(() => children.forEach((c) => c.kill('SIGKILL')));

  function startRole(role: string, env: Record<string, string>): ChildProcess {
    const child = spawn(process.execPath, [path.join(root, 'bin', 'flexcord.js'), 'start', '--role', role], {
      cwd: root,
      env: { PATH: process.env.PATH, HOME: process.env.HOME, LOG_FORMAT: 'json', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    children.push(child);
    return child;
  }

  it('runs a worker that connects to TEMPORAL_ADDRESS and serves the task queue', async () => {
    const { client, address } = testEnv();
    const taskQueue = uniqueTaskQueue('role-worker');
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'flexcord-role-'));
    const worker = startRole('worker', {
      TEMPORAL_ADDRESS: address,
      TEMPORAL_TASK_QUEUE: taskQueue,
      FLEXCORD_DATA_DIR: dataDir,
      KB_DIR: path.join(root, 'knowledge-base'),
    });
    await waitForOutput(worker, /worker polling/, 90_000);
    const result = await client.workflow.execute<typeof selfTestWorkflow>('selfTestWorkflow', {
      taskQueue,
      workflowId: `role-worker-${Date.now()}`,
    });
    assert.match(result.workerIdentity, /^\d+@/);
    const exited = new Promise<number | null>((resolve) => worker.once('exit', (code) => resolve(code)));
    worker.kill('SIGTERM');
    assert.equal(await exited, 0);
  });

  it('refuses to start the bot alone without its credentials, naming the variables', async () => {
    const { address } = testEnv();
    const bot = startRole('bot', {
      TEMPORAL_ADDRESS: address,
      DISCORD_TOKEN: '',
      DISCORD_APPLICATION_ID: '',
    });
    let output = '';
    bot.stdout!.on('data', (c: Buffer) => (output += c.toString()));
    bot.stderr!.on('data', (c: Buffer) => (output += c.toString()));
    const code = await new Promise<number | null>((resolve) => bot.once('exit', (c) => resolve(c)));
    assert.equal(code, 2);
    assert.match(output, /DISCORD_TOKEN/);
    assert.doesNotMatch(output, /at .*\.ts:\d+/, 'a clear message, not a stack trace');
  });

  it('says in one line which Temporal address it cannot reach', async () => {
    const nobody = await freePort();
    const webhooks = startRole('webhooks', { TEMPORAL_ADDRESS: `127.0.0.1:${nobody}`, HTTP_PORT: '0' });
    let output = '';
    webhooks.stdout!.on('data', (c: Buffer) => (output += c.toString()));
    webhooks.stderr!.on('data', (c: Buffer) => (output += c.toString()));
    const code = await new Promise<number | null>((resolve) => webhooks.once('exit', (c) => resolve(c)));
    assert.equal(code, 2);
    assert.match(output, new RegExp(`cannot reach Temporal at 127\\.0\\.0\\.1:${nobody}`));
    assert.doesNotMatch(output, /^\s+at /m, 'no stack trace');
  });
});
