import { type Kysely, sql } from 'kysely';
import { type ConversationLedger } from '../activities/analytics/port';
import { type CaseTables } from '../cases/tables';
import type { ConversationRecord } from '../shared/conversation-record';

const iso = (ms: number | undefined) => (ms === undefined ? undefined : new Date(ms).toISOString());

/**
 * Support conversations in the case database (migration 0004). A record inserts the row if it is new, then fills
 * each milestone that is still empty: `coalesce(column, new value)`, so the first value wins whatever the order of
 * retries, and two writers racing agree.
 */
export class SqlConversationLedger implements ConversationLedger {
  constructor(private readonly db: Kysely<CaseTables>) {}

  async record(r: ConversationRecord): Promise<void> {
    await this.db
      .insertInto('support_conversations')
      .values({
        conversation_id: r.conversationId,
        workflow_id: r.workflowId,
        guild_id: r.guildId,
        user_id: r.userId,
        started_at: iso(r.startedAt)!,
        kb_answered_at: null,
        human_requested_at: null,
        case_number: null,
        agent_joined_at: null,
        first_agent_reply_at: null,
        closed_at: null,
        close_reason: null,
      })
      .onConflict((oc) => oc.column('conversation_id').doNothing())
      .execute();
    const milestones = {
      kb_answered_at: iso(r.kbAnsweredAt),
      human_requested_at: iso(r.humanRequestedAt),
      case_number: r.caseNumber,
      agent_joined_at: iso(r.agentJoinedAt),
      first_agent_reply_at: iso(r.firstAgentReplyAt),
      closed_at: iso(r.closedAt),
      close_reason: r.closeReason,
    };
    const given = Object.entries(milestones).filter(([, value]) => value !== undefined);
    if (given.length === 0) return;
    await this.db
      .updateTable('support_conversations')
      .set(
        Object.fromEntries(
          given.map(([column, value]) => [column, sql`coalesce(${sql.ref(column)}, ${value})`]),
        ),
      )
      .where('conversation_id', '=', r.conversationId)
      .execute();
  }
}
