import { type Kysely, sql, type Transaction } from 'kysely';
import {
  type CaseChanges,
  type CaseEventInput,
  type CaseSummary,
  type NewCase,
  STAFF_NOTE_ACTION,
  type StaffNote,
  type TranscriptEntry,
} from '../shared/case-types';
import type { CaseDetail, CaseFilter, CaseLink, CaseLinkKind, CaseStore } from '../activities/cases/port';
import { CaseNotFoundError, CrossGuildLinkError } from './errors';
import {
  changeColumns,
  describeChanges,
  toDetail,
  toStaffNote,
  toSummary,
  toTranscriptEntry,
  transcriptRow,
} from './rows';
import { type CaseTables } from './tables';

const DEFAULT_LIST_LIMIT = 100;
const MAX_LIST_LIMIT = 1000;
const CLOSED_STATUSES = new Set(['resolved', 'closed']);

/**
 * The case store on SQLite or PostgreSQL through Kysely. Idempotency rests on unique keys, not on reads before
 * writes: `cases.idempotency_key`, `(case_number, entry_id)` and `(case_number, event_id)` turn a retried write
 * into a no-op (`on conflict do nothing`), which also holds when two retries race.
 */
export class SqlCaseStore implements CaseStore {
  constructor(
    private readonly db: Kysely<CaseTables>,
    private readonly now: () => Date = () => new Date(),
  ) {}

  async openCase(input: NewCase): Promise<{ caseNumber: number }> {
    // Looking first keeps numbers free of gaps on a plain retry (a conflicting insert still uses up a number);
    // the unique key below is what makes two racing calls agree.
    const known = await this.numberFor(input.idempotencyKey);
    if (known !== undefined) return { caseNumber: known };
    return this.db.transaction().execute(async (trx) => {
      const at = this.now().toISOString();
      const inserted = await trx
        .insertInto('cases')
        .values({
          idempotency_key: input.idempotencyKey,
          type: input.type,
          status: 'open',
          priority: input.priority ?? 'normal',
          guild_id: input.guildId,
          reporter_id: input.reporter.discordId,
          reporter_name: input.reporter.name,
          title: input.title,
          description: input.description,
          fields_json: JSON.stringify(input.fields ?? {}),
          suggested_articles_json: JSON.stringify(input.suggestedArticles ?? []),
          workflow_id: input.workflowId ?? null,
          assigned_agent: null,
          twilio_conversation_sid: null,
          twilio_interaction_sid: null,
          twilio_channel_sid: null,
          twilio_task_sid: null,
          close_reason: null,
          rating: null,
          closed_at: null,
          created_at: at,
          updated_at: at,
        })
        .onConflict((oc) => oc.column('idempotency_key').doNothing())
        .returning('number')
        .executeTakeFirst();
      if (!inserted) {
        const existing = await trx
          .selectFrom('cases')
          .select('number')
          .where('idempotency_key', '=', input.idempotencyKey)
          .executeTakeFirstOrThrow();
        return { caseNumber: existing.number };
      }
      const caseNumber = inserted.number;
      await insertEvent(
        trx,
        caseNumber,
        {
          eventId: `opened:${input.idempotencyKey}`,
          actor: `discord:${input.reporter.discordId}`,
          action: 'opened',
          detail: `${input.type}: ${input.title}`,
        },
        at,
      );
      if (input.transcript?.length) await insertTranscript(trx, caseNumber, input.transcript);
      return { caseNumber };
    });
  }

  private async numberFor(idempotencyKey: string): Promise<number | undefined> {
    const row = await this.db
      .selectFrom('cases')
      .select('number')
      .where('idempotency_key', '=', idempotencyKey)
      .executeTakeFirst();
    return row?.number;
  }

  async appendTranscript(caseNumber: number, entries: TranscriptEntry[]): Promise<void> {
    if (entries.length === 0) return;
    await this.db.transaction().execute(async (trx) => {
      await requireCase(trx, caseNumber);
      const added = await insertTranscript(trx, caseNumber, entries);
      if (added > 0) await touch(trx, caseNumber, this.now().toISOString());
    });
  }

  async updateCase(caseNumber: number, changes: CaseChanges, event: CaseEventInput): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      await requireCase(trx, caseNumber);
      const at = this.now().toISOString();
      const fresh = await insertEvent(
        trx,
        caseNumber,
        { ...event, detail: event.detail ?? describeChanges(changes) },
        at,
      );
      // A replayed event must not re-apply its changes: a later change may have superseded them since.
      if (!fresh) return;
      const columns = changeColumns(changes);
      await trx
        .updateTable('cases')
        .set({
          ...columns,
          updated_at: at,
          ...(changes.status && CLOSED_STATUSES.has(changes.status) ? { closed_at: at } : {}),
        })
        .where('number', '=', caseNumber)
        .execute();
    });
  }

  async linkCases(
    input: { caseNumber: number; linkedCaseNumber: number; kind: CaseLinkKind },
    event: CaseEventInput,
  ): Promise<void> {
    if (input.caseNumber === input.linkedCaseNumber) throw new Error('a case cannot be linked to itself');
    await this.db.transaction().execute(async (trx) => {
      const guild = await requireCase(trx, input.caseNumber);
      if ((await requireCase(trx, input.linkedCaseNumber)) !== guild) {
        throw new CrossGuildLinkError(input.caseNumber, input.linkedCaseNumber);
      }
      const at = this.now().toISOString();
      await trx
        .insertInto('case_links')
        .values({
          case_number: input.caseNumber,
          linked_case_number: input.linkedCaseNumber,
          kind: input.kind,
          created_at: at,
        })
        .onConflict((oc) => oc.columns(['case_number', 'linked_case_number', 'kind']).doNothing())
        .execute();
      const detail = event.detail ?? `${input.kind} #${input.linkedCaseNumber}`;
      if (await insertEvent(trx, input.caseNumber, { ...event, detail }, at))
        await touch(trx, input.caseNumber, at);
    });
  }

  async getCase(caseNumber: number): Promise<CaseDetail | undefined> {
    const row = await this.db
      .selectFrom('cases')
      .selectAll()
      .where('number', '=', caseNumber)
      .executeTakeFirst();
    if (!row) return undefined;
    const [transcript, events, links] = await Promise.all([
      this.db
        .selectFrom('case_transcript')
        .selectAll()
        .where('case_number', '=', caseNumber)
        .orderBy('id')
        .execute(),
      this.db
        .selectFrom('case_events')
        .selectAll()
        .where('case_number', '=', caseNumber)
        .orderBy('id')
        .execute(),
      this.linksOf([caseNumber]),
    ]);
    return toDetail(row, transcript, events, links.get(caseNumber) ?? []);
  }

  async getTranscript(caseNumber: number): Promise<TranscriptEntry[]> {
    await requireCase(this.db, caseNumber);
    const rows = await this.db
      .selectFrom('case_transcript')
      .selectAll()
      .where('case_number', '=', caseNumber)
      .orderBy('id')
      .execute();
    return rows.map(toTranscriptEntry);
  }

  async latestStaffNotes(input: {
    guildId: string;
    reporterId: string;
    limit: number;
  }): Promise<StaffNote[]> {
    const rows = await this.db
      .selectFrom('case_events')
      .innerJoin('cases', 'cases.number', 'case_events.case_number')
      .selectAll('case_events')
      .where('case_events.action', '=', STAFF_NOTE_ACTION)
      .where('cases.guild_id', '=', input.guildId)
      .where('cases.reporter_id', '=', input.reporterId)
      .orderBy('case_events.id', 'desc')
      .limit(Math.min(Math.max(input.limit, 1), 50))
      .execute();
    return rows.map(toStaffNote);
  }

  /**
   * Erases a Discord user from the store (a request to be forgotten): every case they reported, with its
   * transcript, events, staff notes, rating and links from other cases, is deleted, and so are their conversations'
   * analytics milestones; their staff actions on other
   * cases stay, attributed to `discord:forgotten`. Running it again changes nothing.
   */
  async forgetReporter(discordUserId: string): Promise<{ deletedCases: number[]; anonymisedEvents: number }> {
    return this.db.transaction().execute(async (trx) => {
      const numbers = (
        await trx.selectFrom('cases').select('number').where('reporter_id', '=', discordUserId).execute()
      ).map((r) => r.number);
      if (numbers.length > 0) {
        await trx.deleteFrom('case_transcript').where('case_number', 'in', numbers).execute();
        await trx.deleteFrom('case_events').where('case_number', 'in', numbers).execute();
        await trx
          .deleteFrom('case_links')
          .where((eb) => eb.or([eb('case_number', 'in', numbers), eb('linked_case_number', 'in', numbers)]))
          .execute();
        await trx.deleteFrom('cases').where('number', 'in', numbers).execute();
      }
      // Their conversations' milestones for support analytics (migration 0004) name them too.
      await trx.deleteFrom('support_conversations').where('user_id', '=', discordUserId).execute();
      const anonymised = await trx
        .updateTable('case_events')
        .set({ actor: FORGOTTEN_ACTOR })
        .where('actor', '=', `discord:${discordUserId}`)
        .executeTakeFirst();
      return {
        deletedCases: numbers.sort((a, b) => a - b),
        anonymisedEvents: Number(anonymised.numUpdatedRows),
      };
    });
  }

  async listCases(filter: CaseFilter): Promise<CaseSummary[]> {
    const limit = Math.min(Math.max(filter.limit ?? DEFAULT_LIST_LIMIT, 1), MAX_LIST_LIMIT);
    const rows = await this.filtered(filter).selectAll().orderBy('number', 'desc').limit(limit).execute();
    return rows.map(toSummary);
  }

  /**
   * Every matching case in full (transcript, events, links), oldest first, read in pages of `pageSize` so an
   * export of a large store never holds it all in memory.
   */
  async *exportCases(filter: Omit<CaseFilter, 'limit'> = {}, pageSize = 200): AsyncGenerator<CaseDetail> {
    let after = 0;
    for (;;) {
      const rows = await this.filtered(filter)
        .selectAll()
        .where('number', '>', after)
        .orderBy('number')
        .limit(pageSize)
        .execute();
      if (rows.length === 0) return;
      const numbers = rows.map((r) => r.number);
      const [transcript, events, links] = await Promise.all([
        this.db
          .selectFrom('case_transcript')
          .selectAll()
          .where('case_number', 'in', numbers)
          .orderBy('id')
          .execute(),
        this.db
          .selectFrom('case_events')
          .selectAll()
          .where('case_number', 'in', numbers)
          .orderBy('id')
          .execute(),
        this.linksOf(numbers),
      ]);
      for (const row of rows) {
        yield toDetail(
          row,
          transcript.filter((t) => t.case_number === row.number),
          events.filter((e) => e.case_number === row.number),
          links.get(row.number) ?? [],
        );
      }
      after = numbers[numbers.length - 1]!;
    }
  }

  async countCases(filter: Omit<CaseFilter, 'limit'> = {}): Promise<number> {
    const row = await this.filtered(filter)
      .select((eb) => eb.fn.countAll().as('n'))
      .executeTakeFirstOrThrow();
    // PostgreSQL returns count(*) as a bigint string.
    return Number(row.n);
  }

  private filtered(filter: Omit<CaseFilter, 'limit'>) {
    let query = this.db.selectFrom('cases');
    if (filter.status) query = query.where('status', '=', filter.status);
    if (filter.type) query = query.where('type', '=', filter.type);
    if (filter.guildId) query = query.where('guild_id', '=', filter.guildId);
    if (filter.guildIds) {
      // An empty scope matches nothing; `in ()` is not valid SQL.
      query =
        filter.guildIds.length > 0
          ? query.where('guild_id', 'in', [...filter.guildIds])
          : query.where(sql<boolean>`1 = 0`);
    }
    if (filter.reporterId) query = query.where('reporter_id', '=', filter.reporterId);
    return query;
  }

  private async linksOf(numbers: number[]): Promise<Map<number, CaseLink[]>> {
    const byCase = new Map<number, CaseLink[]>();
    const add = (n: number, link: CaseLink) => byCase.set(n, [...(byCase.get(n) ?? []), link]);
    const rows = await this.db
      .selectFrom('case_links')
      .selectAll()
      .where((eb) => eb.or([eb('case_number', 'in', numbers), eb('linked_case_number', 'in', numbers)]))
      .orderBy('created_at')
      .execute();
    const wanted = new Set(numbers);
    for (const row of rows) {
      const kind = row.kind as CaseLinkKind;
      if (wanted.has(row.case_number))
        add(row.case_number, { kind, caseNumber: row.linked_case_number, direction: 'to' });
      if (wanted.has(row.linked_case_number)) {
        add(row.linked_case_number, { kind, caseNumber: row.case_number, direction: 'from' });
      }
    }
    return byCase;
  }
}

type Executor = Kysely<CaseTables> | Transaction<CaseTables>;

/** Who a forgotten user's staff actions on other cases are attributed to. */
export const FORGOTTEN_ACTOR = 'discord:forgotten';

/** The case's guild; CaseNotFoundError when there is no such case. */
async function requireCase(db: Executor, caseNumber: number): Promise<string> {
  const row = await db
    .selectFrom('cases')
    .select('guild_id')
    .where('number', '=', caseNumber)
    .executeTakeFirst();
  if (!row) throw new CaseNotFoundError(caseNumber);
  return row.guild_id;
}

async function touch(db: Executor, caseNumber: number, at: string): Promise<void> {
  await db.updateTable('cases').set({ updated_at: at }).where('number', '=', caseNumber).execute();
}

/** Inserts the event unless its id is already logged for this case; true when it was new. */
async function insertEvent(
  db: Executor,
  caseNumber: number,
  event: CaseEventInput,
  at: string,
): Promise<boolean> {
  const inserted = await db
    .insertInto('case_events')
    .values({
      case_number: caseNumber,
      event_id: event.eventId,
      actor: event.actor,
      action: event.action,
      detail: event.detail ?? null,
      at,
    })
    .onConflict((oc) => oc.columns(['case_number', 'event_id']).doNothing())
    .returning('id')
    .executeTakeFirst();
  return inserted !== undefined;
}

/** Inserts the entries not stored yet; returns how many were new. */
async function insertTranscript(
  db: Executor,
  caseNumber: number,
  entries: TranscriptEntry[],
): Promise<number> {
  const inserted = await db
    .insertInto('case_transcript')
    .values(entries.map((e) => transcriptRow(caseNumber, e)))
    .onConflict((oc) => oc.columns(['case_number', 'entry_id']).doNothing())
    .returning('id')
    .execute();
  return inserted.length;
}
