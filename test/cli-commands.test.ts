import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { buildProgram } from '../src/cli/main';
import { COMMAND_NAMES } from '../src/cli/commands';

const root = path.resolve(__dirname, '..');
const run = promisify(execFile);

/** Which of these packages a fresh process has loaded after building the CLI for `args`. */
async function packagesLoadedFor(args: string[], packages: string[]): Promise<string[]> {
  const script = `
    require('tsx/cjs');
    require('./src/cli/main.ts').buildProgram(['node', 'flexcord', ...${JSON.stringify(args)}]);
    const loaded = Object.keys(require.cache);
    const wanted = ${JSON.stringify(packages)};
    console.log(JSON.stringify(wanted.filter((p) => loaded.some((f) => f.includes('/node_modules/' + p + '/')))));
  `;
  const { stdout } = await run(process.execPath, ['-e', script], { cwd: root });
  return JSON.parse(stdout) as string[];
}

describe('the flexcord command line', function () {
  this.timeout(60_000);

  it('lists every command in its help, each registered under its own name', () => {
    const program = buildProgram();
    assert.deepEqual(
      program.commands.map((c) => c.name()),
      COMMAND_NAMES,
    );
    for (const name of COMMAND_NAMES) {
      const only = buildProgram(['node', 'flexcord', name]);
      assert.deepEqual(
        only.commands.map((c) => c.name()),
        [name],
      );
    }
  });

  it('registers every command for help and for a name it does not know, so the typo gets a suggestion', () => {
    for (const argv of [[], ['--help'], ['help', 'cases'], ['casse']]) {
      assert.equal(buildProgram(['node', 'flexcord', ...argv]).commands.length, COMMAND_NAMES.length);
    }
  });

  it('loads only what the named command needs: `cases` and `--version` load neither discord.js, twilio nor the Temporal worker', async () => {
    const heavy = ['discord.js', 'twilio', '@temporalio/worker', 'express'];
    assert.deepEqual(await packagesLoadedFor(['cases', 'list'], heavy), []);
    assert.deepEqual(await packagesLoadedFor(['--version'], heavy), []);
    // The same check sees them when the command needs them.
    assert.deepEqual(await packagesLoadedFor(['start'], heavy), heavy);
  });
});
