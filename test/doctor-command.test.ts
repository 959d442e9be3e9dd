import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { freePort } from './support/free-port';

/*
 * `flexcord doctor` and `flexcord --version` as a newcomer runs them: a child process in an empty folder, nothing
 * configured and nothing running.
 */
const root = path.resolve(__dirname, '..');

function run(
  args: string[],
  env: Record<string, string>,
  cwd: string,
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [path.join(root, 'bin', 'flexcord.js'), ...args], {
      cwd,
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    child.once('error', reject);
    child.once('exit', (code) => resolve({ code, stdout, stderr }));
  });
}

describe('flexcord doctor and --version on the command line', function () {
  this.timeout(60_000);
  let dir: string;
  let env: Record<string, string>;

  before(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'flexcord-doctor-cli-'));
    env = { FLEXCORD_DATA_DIR: path.join(dir, 'data'), TEMPORAL_DEV_PORT: String(await freePort()) };
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('--version prints the version in package.json', async () => {
    const { version } = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as {
      version: string;
    };
    const { code, stdout } = await run(['--version'], env, dir);
    assert.equal(code, 0);
    assert.equal(stdout.trim(), version);
  });

  it('with nothing running, exits 1 and tells a newcomer to start flexcord with npm start', async () => {
    const started = Date.now();
    const { code, stdout } = await run(['doctor', '--check-timeout', '2'], env, dir);
    assert.equal(code, 1, stdout);
    assert.ok(Date.now() - started < 30_000, 'fails in seconds');
    const lines = stdout.split('\n');
    const temporal = lines.findIndex((l) => l.startsWith('✗ Temporal: cannot reach Temporal at localhost:'));
    assert.ok(temporal >= 0, stdout);
    assert.match(lines[temporal + 1]!, /fix: .*`npm start`/);
    assert.match(stdout, /✓ Settings: valid .*offline sandbox/);
    assert.doesNotMatch(stdout, /Check TEMPORAL_ADDRESS and its credentials/);
  });

  it('--json prints one JSON document with every check, and the same exit code', async () => {
    const { code, stdout } = await run(['doctor', '--json', '--check-timeout', '2'], env, dir);
    assert.equal(code, 1);
    const report = JSON.parse(stdout) as {
      ok: boolean;
      exitCode: number;
      checks: { id: string; status: string }[];
    };
    assert.equal(report.ok, false);
    assert.equal(report.exitCode, 1);
    const status = Object.fromEntries(report.checks.map((c) => [c.id, c.status]));
    assert.equal(status['temporal.reachable'], 'fail');
    assert.equal(status['discord.token'], 'skip');
    assert.equal(status.settings, 'pass');
  });

  it('refuses a --check-timeout that is not a positive number', async () => {
    const { code, stderr } = await run(['doctor', '--check-timeout', 'soon'], env, dir);
    assert.notEqual(code, 0);
    assert.match(stderr, /a number of seconds greater than 0/);
  });
});
