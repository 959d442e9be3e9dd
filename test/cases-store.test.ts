import assert from 'node:assert/strict';
import { sql } from 'kysely';
import { CaseNotFoundError } from '../src/cases/errors';
import { MIGRATION_NAMES, migrateCases } from '../src/cases/migrations';
import { SqlCaseStore } from '../src/cases/sql-case-store';
import type { NewCase, TranscriptEntry } from '../src/shared/case-types';
import { describeOnEachDialect } from './support/case-databases';

function newCase(key: string, overrides: Partial<NewCase> = {}): NewCase {
  return {
    idempotencyKey: key,
    type: 'bug',
    guildId: 'g1',
    reporter: { discordId: 'u1', name: 'Ada' },
    title: 'Login fails',
    description: 'The login button does nothing',
    fields: { steps: 'click login', expected: 'logged in' },
    workflowId: `report-${key}`,
    ...overrides,
  };
}

function line(entryId: string, text: string): TranscriptEntry {
  return {
    entryId,
    direction: 'inbound',
    authorKind: 'user',
    author: 'Ada',
    text,
    attachments: [{ url: 'https://cdn.example/a.png', name: 'a.png' }],
    at: '2026-01-01T00:00:00.000Z',
  };
}

describeOnEachDialect('case store', (open) => {
  it('numbers cases from 1001 and returns the same case for the same idempotency key', async () => {
    const store = new SqlCaseStore((await open()).db);
    const first = await store.openCase(newCase('k1'));
    const again = await store.openCase(newCase('k1', { title: 'changed on retry' }));
    const second = await store.openCase(newCase('k2', { type: 'feature' }));
    assert.equal(first.caseNumber, 1001);
    assert.equal(again.caseNumber, 1001);
    assert.equal(second.caseNumber, 1002);
    const stored = await store.getCase(1001);
    assert.equal(stored?.title, 'Login fails');
    assert.deepEqual(stored?.fields, { steps: 'click login', expected: 'logged in' });
    assert.equal(stored?.events.filter((e) => e.action === 'opened').length, 1);
    assert.equal(stored?.workflowId, 'report-k1');
  });

  it('never duplicates a transcript line or an event when a write is retried', async () => {
    const store = new SqlCaseStore((await open()).db);
    const { caseNumber } = await store.openCase(newCase('k1', { transcript: [line('m0', 'hello')] }));
    await store.appendTranscript(caseNumber, [line('m1', 'first'), line('m2', 'second')]);
    await store.appendTranscript(caseNumber, [line('m2', 'second'), line('m3', 'third')]);
    await store.appendTranscript(caseNumber, [line('m1', 'first')]);
    const event = { eventId: 'e1', actor: 'agent:bob', action: 'status' };
    await store.updateCase(caseNumber, { status: 'in_progress', assignedAgent: 'bob' }, event);
    await store.updateCase(caseNumber, { status: 'resolved' }, { ...event, eventId: 'e2' });
    // A late retry of e1 must neither log twice nor roll the status back.
    await store.updateCase(caseNumber, { status: 'in_progress', assignedAgent: 'bob' }, event);

    const stored = (await store.getCase(caseNumber))!;
    assert.deepEqual(
      stored.transcript.map((t) => t.entryId),
      ['m0', 'm1', 'm2', 'm3'],
    );
    assert.deepEqual(stored.transcript[1]!.attachments, [
      { url: 'https://cdn.example/a.png', name: 'a.png' },
    ]);
    assert.deepEqual(
      stored.events.map((e) => e.eventId),
      ['opened:k1', 'e1', 'e2'],
    );
    assert.equal(stored.events[1]!.detail, 'status=in_progress, assignedAgent=bob');
    assert.equal(stored.status, 'resolved');
    assert.equal(stored.assignedAgent, 'bob');
    assert.ok(stored.closedAt, 'a resolved case has a closing time');
  });

  it('survives concurrent retries of the same writes', async () => {
    const store = new SqlCaseStore((await open()).db);
    const numbers = await Promise.all([1, 2, 3, 4].map(() => store.openCase(newCase('race'))));
    assert.deepEqual(new Set(numbers.map((n) => n.caseNumber)).size, 1);
    const caseNumber = numbers[0]!.caseNumber;
    await Promise.all(
      [1, 2, 3].map(() => store.appendTranscript(caseNumber, [line('m1', 'x'), line('m2', 'y')])),
    );
    await Promise.all(
      [1, 2, 3].map(() =>
        store.updateCase(caseNumber, {}, { eventId: 'note-1', actor: 'a', action: 'note' }),
      ),
    );
    const stored = (await store.getCase(caseNumber))!;
    assert.equal(stored.transcript.length, 2);
    assert.equal(stored.events.filter((e) => e.eventId === 'note-1').length, 1);
  });

  it('stores Twilio ids, close reason and rating', async () => {
    const store = new SqlCaseStore((await open()).db);
    const { caseNumber } = await store.openCase(newCase('s', { type: 'support' }));
    await store.updateCase(
      caseNumber,
      {
        twilioConversationSid: 'CH1',
        twilioInteractionSid: 'KD1',
        twilioChannelSid: 'UO1',
        twilioTaskSid: 'WT1',
        status: 'closed',
        closeReason: 'agent_closed',
        rating: 4,
      },
      { eventId: 'close', actor: 'flex', action: 'closed' },
    );
    const stored = (await store.getCase(caseNumber))!;
    assert.deepEqual(stored.twilio, {
      conversationSid: 'CH1',
      interactionSid: 'KD1',
      channelSid: 'UO1',
      taskSid: 'WT1',
    });
    assert.equal(stored.closeReason, 'agent_closed');
    assert.equal(stored.rating, 4);
  });

  it('links a duplicate to its original, once, seen from both sides', async () => {
    const store = new SqlCaseStore((await open()).db);
    const original = (await store.openCase(newCase('a'))).caseNumber;
    const duplicate = (await store.openCase(newCase('b', { reporter: { discordId: 'u2', name: 'Bo' } })))
      .caseNumber;
    const event = { eventId: 'link-1', actor: 'staff:s1', action: 'linked' };
    await store.linkCases({ caseNumber: duplicate, linkedCaseNumber: original, kind: 'duplicate_of' }, event);
    await store.linkCases({ caseNumber: duplicate, linkedCaseNumber: original, kind: 'duplicate_of' }, event);
    assert.deepEqual((await store.getCase(duplicate))!.links, [
      { kind: 'duplicate_of', caseNumber: original, direction: 'to' },
    ]);
    assert.deepEqual((await store.getCase(original))!.links, [
      { kind: 'duplicate_of', caseNumber: duplicate, direction: 'from' },
    ]);
    assert.equal((await store.getCase(duplicate))!.events.filter((e) => e.action === 'linked').length, 1);
    await assert.rejects(
      store.linkCases({ caseNumber: duplicate, linkedCaseNumber: 9999, kind: 'duplicate_of' }, event),
      CaseNotFoundError,
    );
  });

  it('filters lists by status, type, guild and reporter, newest first', async () => {
    const store = new SqlCaseStore((await open()).db);
    await store.openCase(newCase('1'));
    await store.openCase(newCase('2', { type: 'feature', guildId: 'g2' }));
    await store.openCase(newCase('3', { reporter: { discordId: 'u9', name: 'Cy' } }));
    await store.updateCase(1001, { status: 'resolved' }, { eventId: 'r', actor: 'x', action: 'resolved' });
    assert.deepEqual(
      (await store.listCases({})).map((c) => c.number),
      [1003, 1002, 1001],
    );
    assert.deepEqual(
      (await store.listCases({ type: 'bug', guildId: 'g1' })).map((c) => c.number),
      [1003, 1001],
    );
    assert.deepEqual(
      (await store.listCases({ status: 'open', type: 'bug' })).map((c) => c.number),
      [1003],
    );
    assert.deepEqual(
      (await store.listCases({ reporterId: 'u9' })).map((c) => c.number),
      [1003],
    );
    assert.deepEqual(
      (await store.listCases({ limit: 1 })).map((c) => c.number),
      [1003],
    );
    assert.equal(await store.countCases({ guildId: 'g1' }), 2);
  });

  it('exports every case in pages, with transcript and events', async () => {
    const store = new SqlCaseStore((await open()).db);
    for (let i = 0; i < 7; i++)
      await store.openCase(newCase(`e${i}`, { transcript: [line(`m${i}`, `t${i}`)] }));
    const exported = [];
    for await (const c of store.exportCases({}, 3)) exported.push(c);
    assert.deepEqual(
      exported.map((c) => c.number),
      [1001, 1002, 1003, 1004, 1005, 1006, 1007],
    );
    assert.deepEqual(
      exported.map((c) => c.transcript.map((t) => t.text)),
      [['t0'], ['t1'], ['t2'], ['t3'], ['t4'], ['t5'], ['t6']],
    );
  });

  it('refuses writes to an unknown case with CaseNotFoundError', async () => {
    const store = new SqlCaseStore((await open()).db);
    await assert.rejects(store.appendTranscript(4242, [line('m', 'x')]), CaseNotFoundError);
    await assert.rejects(
      store.updateCase(4242, {}, { eventId: 'e', actor: 'a', action: 'b' }),
      CaseNotFoundError,
    );
    assert.equal(await store.getCase(4242), undefined);
  });

  it('migrates an empty database to the latest version, and a second run does nothing', async () => {
    const database = await open({ migrate: false });
    const applied = await migrateCases(database.db, database.dialect);
    assert.deepEqual(applied, [...MIGRATION_NAMES]);
    assert.deepEqual(await migrateCases(database.db, database.dialect), []);
    const store = new SqlCaseStore(database.db);
    assert.equal((await store.openCase(newCase('fresh'))).caseNumber, 1001);
  });

  it('migrates data written by the previous version without losing it', async () => {
    const database = await open({ migrate: false });
    assert.deepEqual(await migrateCases(database.db, database.dialect, '0001_cases'), ['0001_cases']);
    // Rows as version 0001 wrote them: no closed_at column, no links table yet.
    const v1Row = {
      idempotency_key: 'old',
      type: 'bug',
      priority: 'normal',
      guild_id: 'g1',
      reporter_id: 'u1',
      reporter_name: 'Ada',
      title: 'Old bug',
      description: 'from v1',
      fields_json: '{}',
      suggested_articles_json: '[]',
      created_at: '2025-01-01T00:00:00.000Z',
      updated_at: '2025-01-02T00:00:00.000Z',
    };
    await sql`insert into cases ${sql.raw('(')}${sql.join(Object.keys(v1Row).map((k) => sql.ref(k)))}, status${sql.raw(')')}
      values (${sql.join(Object.values(v1Row))}, 'resolved')`.execute(database.db);
    await sql`insert into cases ${sql.raw('(')}${sql.join(Object.keys(v1Row).map((k) => sql.ref(k)))}, status${sql.raw(')')}
      values (${sql.join(Object.values({ ...v1Row, idempotency_key: 'old2' }))}, 'open')`.execute(
      database.db,
    );
    await sql`insert into case_events (case_number, event_id, actor, action, at)
      values (1001, 'ev', 'staff', 'resolved', '2025-01-02T00:00:00.000Z')`.execute(database.db);
    await assert.rejects(sql`select * from case_links`.execute(database.db));

    assert.deepEqual(await migrateCases(database.db, database.dialect, '0002_links_and_closed_at'), [
      '0002_links_and_closed_at',
    ]);
    const store = new SqlCaseStore(database.db);
    const old = (await store.getCase(1001))!;
    assert.equal(old.title, 'Old bug');
    assert.equal(old.status, 'resolved');
    assert.equal(
      old.closedAt,
      '2025-01-02T00:00:00.000Z',
      'closed cases get their last update as closing time',
    );
    assert.deepEqual(
      old.events.map((e) => e.eventId),
      ['ev'],
    );
    assert.equal((await store.getCase(1002))!.closedAt, undefined);
    // The numbering continues after the old cases, and the new feature works on old rows.
    const next = await store.openCase(newCase('new'));
    assert.equal(next.caseNumber, 1003);
    await store.linkCases(
      { caseNumber: 1003, linkedCaseNumber: 1001, kind: 'duplicate_of' },
      { eventId: 'l', actor: 's', action: 'linked' },
    );
    assert.equal((await store.getCase(1001))!.links.length, 1);
  });

  it('keeps transcript lines written before revisions existed, and records a later edit or deletion as its own line', async () => {
    const database = await open({ migrate: false });
    await migrateCases(database.db, database.dialect, '0002_links_and_closed_at');
    const before = new SqlCaseStore(database.db);
    const { caseNumber } = await before.openCase(newCase('r'));
    await sql`insert into case_transcript (case_number, entry_id, direction, author_kind, author, text, attachments_json, at)
      values (${caseNumber}, 'm1', 'inbound', 'user', 'Ada', 'the game crashes', '[]', '2026-01-01T00:00:00.000Z')`.execute(
      database.db,
    );
    assert.deepEqual(await migrateCases(database.db, database.dialect, '0003_transcript_revisions'), [
      '0003_transcript_revisions',
    ]);
    const store = new SqlCaseStore(database.db);
    await store.appendTranscript(caseNumber, [
      { ...line('m1:edited:t1', 'the game crashes on startup'), revises: { entryId: 'm1', kind: 'edited' } },
      { ...line('m1:deleted', ''), revises: { entryId: 'm1', kind: 'deleted' } },
    ]);
    const transcript = (await store.getCase(caseNumber))!.transcript;
    assert.deepEqual(
      transcript.map((e) => [e.entryId, e.text, e.revises]),
      [
        ['m1', 'the game crashes', undefined],
        ['m1:edited:t1', 'the game crashes on startup', { entryId: 'm1', kind: 'edited' }],
        ['m1:deleted', '', { entryId: 'm1', kind: 'deleted' }],
      ],
    );
  });
});
