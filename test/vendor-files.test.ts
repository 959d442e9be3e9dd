import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { VENDOR_DIR } from '../src/sandbox/vendor-files';

interface Manifest {
  files: Record<string, { source: string; version: string; licence: string; sha256: string }>;
}

function filesUnder(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    return entry.isDirectory()
      ? filesUnder(full)
      : [path.relative(VENDOR_DIR, full).split(path.sep).join('/')];
  });
}

describe('vendored specs and examples', () => {
  const manifest = JSON.parse(fs.readFileSync(path.join(VENDOR_DIR, 'manifest.json'), 'utf8')) as Manifest;

  it('every vendored file is recorded with its source, version and licence, and is unchanged', () => {
    const onDisk = filesUnder(VENDOR_DIR).filter((f) => f !== 'manifest.json' && f !== 'README.md');
    assert.deepEqual(onDisk.sort(), Object.keys(manifest.files).sort());
    for (const [file, entry] of Object.entries(manifest.files)) {
      for (const field of ['source', 'version', 'licence'] as const)
        assert.ok(entry[field], `${file}: ${field}`);
      const digest = createHash('sha256')
        .update(fs.readFileSync(path.join(VENDOR_DIR, file)))
        .digest('hex');
      assert.equal(digest, entry.sha256, `${file} differs from the recorded copy`);
    }
  });
});
