import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { openCaseDatabase } from '../src/cases/database';
import { exportCases } from '../src/cases/export';
import { SqlCaseStore } from '../src/cases/sql-case-store';
import type { CaseDetail } from '../src/activities/cases/port';
import { fileReport } from '../src/cases/report-client';
import { reportActivities, reportInput } from './support/case-fixtures';
import { testEnv } from './support/global-fixtures';
import { withWorker } from './support/worker';

const run = promisify(execFile);
const BIN = path.resolve(__dirname, '..', 'bin', 'flexcord.js');

describe('flexcord cases (CLI)', function () {
  this.timeout(120_000); // each test starts `flexcord` several times, each seconds of start-up on a loaded machine
  let dir: string;
  let store: SqlCaseStore;
  let close: () => Promise<void>;

  beforeEach(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'flexcord-cli-'));
    const database = await openCaseDatabase({ sqliteFile: path.join(dir, 'cases.db') });
    store = new SqlCaseStore(database.db);
    close = () => database.close();
    for (let i = 0; i < 3; i++) {
      const { caseNumber } = await store.openCase({
        idempotencyKey: `k${i}`,
        type: i === 2 ? 'feature' : 'bug',
        guildId: 'g1',
        reporter: { discordId: `u${i}`, name: `Reporter ${i}` },
        // Commas, quotes and newlines must survive CSV quoting.
        title: i === 0 ? 'Crash, "again"\non save' : `Issue ${i}`,
        description: 'details',
        transcript: [
          {
            entryId: `m${i}`,
            direction: 'inbound',
            authorKind: 'user',
            author: `Reporter ${i}`,
            text: `line ${i}`,
            attachments: [],
            at: '2026-01-01T00:00:00.000Z',
          },
        ],
      });
      if (i === 1) {
        await store.linkCases(
          { caseNumber, linkedCaseNumber: 1001, kind: 'duplicate_of' },
          { eventId: 'l', actor: 'x', action: 'linked' },
        );
      }
    }
  });
  afterEach(async () => {
    await close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const cli = (...args: string[]) =>
    run(process.execPath, [BIN, 'cases', ...args], {
      env: { ...process.env, FLEXCORD_DATA_DIR: dir, DATABASE_URL: '', LOG_LEVEL: 'silent' },
      cwd: dir,
    });

  it('exports every case as JSON Lines with transcripts, progress on stderr', async () => {
    const out = path.join(dir, 'cases.jsonl');
    const { stdout, stderr } = await cli('export', '--format', 'jsonl', '--out', out);
    assert.equal(stdout, '');
    assert.match(stderr, /exported 3 cases as jsonl/);
    const lines = fs.readFileSync(out, 'utf8').trimEnd().split('\n');
    const cases = lines.map((l) => JSON.parse(l) as CaseDetail);
    assert.deepEqual(
      cases.map((c) => [c.number, c.transcript[0]!.text]),
      [
        [1001, 'line 0'],
        [1002, 'line 1'],
        [1003, 'line 2'],
      ],
    );
    assert.equal(cases[0]!.title, 'Crash, "again"\non save');
  });

  it('exports CSV to stdout, filtered, with correct quoting', async () => {
    const { stdout } = await cli('export', '--format', 'csv', '--type', 'bug');
    const [header, ...rest] = stdout.split('\n');
    assert.match(header!, /^number,type,status,priority,guild_id,reporter_id,reporter_name,title,/);
    assert.ok(stdout.includes('1001,bug,open,normal,g1,u0,Reporter 0,"Crash, ""again""\non save"'));
    assert.ok(stdout.includes('1002,bug,open,normal,g1,u1,Reporter 1,Issue 1,'));
    assert.ok(!stdout.includes('1003,feature'), 'the type filter applies');
    assert.match(
      rest.find((l) => l.startsWith('1002'))!,
      /,1,1001,report-|,1,1001,$/,
    );
  });

  it('neutralises cells that a spreadsheet would run as a formula (=, +, -, @, tab, CR)', async () => {
    const dangerous = ['=HYPERLINK("http://x","y")', '+1+1', '-2+3', '@SUM(A1)', '\t=1', '\r=1'];
    for (const [i, title] of dangerous.entries()) {
      await store.openCase({
        idempotencyKey: `formula-${i}`,
        type: 'bug',
        guildId: 'g3',
        reporter: { discordId: 'u', name: i === 0 ? '=cmd|calc' : 'U' },
        title,
        description: '',
      });
    }
    const chunks: string[] = [];
    const { Writable } = await import('node:stream');
    const sink = new Writable({
      write(chunk: Buffer, _enc, cb) {
        chunks.push(chunk.toString());
        cb();
      },
    });
    await exportCases(store, { format: 'csv', out: sink, filter: { guildId: 'g3' } });
    const csv = chunks.join('');
    for (const title of dangerous) {
      const cell =
        title.includes('"') || title.includes('\r') ? `"'${title.replaceAll('"', '""')}"` : `'${title}`;
      assert.ok(
        csv.includes(`,${cell},`),
        `title ${JSON.stringify(title)} is exported as ${JSON.stringify(cell)}`,
      );
    }
    assert.ok(csv.includes(",'=cmd|calc,"), 'user-written names are neutralised too');
    assert.ok(!/,[=+\-@\t\r]/.test(csv.replace(/,-?\d/g, ',0')), 'no cell starts with a formula character');
  });

  it('lists and shows cases, and explains an unknown case in one line', async () => {
    const list = await cli('list', '--status', 'open');
    assert.match(list.stdout, /^CASE\s+TYPE\s+STATUS/);
    assert.equal(list.stdout.trim().split('\n').length, 4);
    const show = await cli('show', '1002');
    assert.match(show.stdout, /#1002 Issue 1/);
    assert.match(show.stdout, /duplicate of #1001/);
    assert.match(show.stdout, /Reporter 1: line 1/);
    await assert.rejects(cli('show', '4242'), (err: { stderr: string; code: number }) => {
      assert.equal(err.code, 2);
      assert.match(err.stderr, /flexcord: case #4242 does not exist/);
      return true;
    });
    await assert.rejects(cli('list', '--status', 'sleeping'), /Allowed choices/);
  });

  it('streams large exports page by page and reports progress', async () => {
    for (let i = 0; i < 450; i++) {
      await store.openCase({
        idempotencyKey: `bulk-${i}`,
        type: 'support',
        guildId: 'g2',
        reporter: { discordId: 'u', name: 'U' },
        title: `bulk ${i}`,
        description: '',
      });
    }
    const chunks: string[] = [];
    const progress: number[] = [];
    const { Writable } = await import('node:stream');
    const sink = new Writable({
      write(chunk: Buffer, _enc, cb) {
        chunks.push(chunk.toString());
        cb();
      },
    });
    const written = await exportCases(store, {
      format: 'jsonl',
      out: sink,
      filter: { guildId: 'g2' },
      progressEvery: 100,
      onProgress: (n) => progress.push(n),
    });
    assert.equal(written, 450);
    assert.deepEqual(progress, [100, 200, 300, 400]);
    assert.equal(chunks.join('').trimEnd().split('\n').length, 450);
  });

  it('triages a report through its workflow and names why a triage is refused', async () => {
    const { client, address } = testEnv();
    const { activities, sent } = reportActivities(store);
    const cliOnCluster = (...args: string[]) =>
      run(process.execPath, [BIN, 'cases', ...args], {
        env: {
          ...process.env,
          FLEXCORD_DATA_DIR: dir,
          DATABASE_URL: '',
          LOG_LEVEL: 'silent',
          TEMPORAL_ADDRESS: address,
          TEMPORAL_NAMESPACE: 'default',
        },
        cwd: dir,
      });
    const failure = (p: Promise<unknown>) =>
      p.then(
        () => assert.fail('expected the command to fail'),
        (err: { code: number; stderr: string }) => err,
      );
    const number = await withWorker(activities, async (taskQueue) => {
      const filed = await fileReport(client, { taskQueue, input: reportInput() });
      const n = String(filed.caseNumber);
      const guild = ['--guild', reportInput().guildId];
      const badPriority = await failure(cliOnCluster('triage', n, ...guild, '--priority', 'asap'));
      assert.notEqual(badPriority.code, 0);
      assert.match(badPriority.stderr, /asap/);
      const out = await cliOnCluster(
        'triage',
        n,
        ...guild,
        '--note',
        'Looking at it',
        '--priority',
        'high',
        '--actor',
        'bo',
      );
      assert.equal(out.stdout.trim(), `case #${n} is now triaged`);
      const again = await failure(cliOnCluster('triage', n, ...guild));
      assert.match(again.stderr, new RegExp(`case #${n}: the report is already triaged`));
      // Case 1001 from the fixture is a bug without a workflow (filed outside Temporal): not something to triage.
      const plain = await failure(cliOnCluster('triage', '1001', '--guild', 'g1'));
      assert.match(plain.stderr, /only bug and feature reports are triaged/);
      const missing = await failure(cliOnCluster('triage', '99999', ...guild));
      assert.match(missing.stderr, /case #99999 does not exist/);
      return filed.caseNumber;
    });
    assert.equal(sent.length, 1);
    assert.match(sent[0]!.text, /has been triaged[\s\S]*Looking at it$/);
    const stored = (await store.getCase(number))!;
    assert.equal(stored.status, 'in_progress');
    assert.equal(stored.priority, 'high');
    assert.ok(
      stored.events.some(
        (e) => e.action === 'triaged' && e.actor === 'cli:bo' && e.detail === 'Looking at it',
      ),
    );
  });
});
