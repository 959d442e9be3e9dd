import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  FIRST_START_MARKER,
  inspectSandboxDir,
  markFirstStart,
  SandboxMismatchError,
} from '../src/sandbox/data-dir';

/* The sandbox's three stores are kept, and refused, as one unit. */
describe('sandbox data folder', () => {
  let dir: string;
  beforeEach(() => (dir = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'flexcord-dir-')), 'sandbox')));
  afterEach(() => fs.rmSync(path.dirname(dir), { recursive: true, force: true }));
  const touch = (...files: string[]) => {
    fs.mkdirSync(dir, { recursive: true });
    for (const f of files) fs.writeFileSync(path.join(dir, f), '');
  };

  it('is fresh when empty and restored when world, Temporal and case databases are all there', () => {
    assert.equal(inspectSandboxDir(dir), 'fresh');
    touch('world.json', 'temporal.db', 'cases.db');
    assert.equal(inspectSandboxDir(dir), 'restore');
  });

  it('refuses any mix, naming what is missing and how to start clean', () => {
    for (const present of [
      ['temporal.db'],
      ['world.json'],
      ['world.json', 'temporal.db'],
      ['temporal.db', 'cases.db'],
    ]) {
      fs.rmSync(dir, { recursive: true, force: true });
      touch(...present);
      assert.throws(
        () => inspectSandboxDir(dir),
        (err: Error) =>
          err instanceof SandboxMismatchError &&
          /missing while/.test(err.message) &&
          /--reset/.test(err.message),
        present.join(' + '),
      );
    }
  });

  it('clears what an interrupted first start left, instead of refusing it', () => {
    markFirstStart(dir);
    touch('temporal.db');
    assert.equal(inspectSandboxDir(dir), 'fresh');
    assert.equal(fs.existsSync(path.join(dir, 'temporal.db')), false);
    assert.equal(fs.existsSync(path.join(dir, FIRST_START_MARKER)), false);
  });
});
