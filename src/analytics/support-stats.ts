import { type Kysely } from 'kysely';
import { type CaseTables } from '../cases/tables';
import { type GuildScope } from '../cases/guild-scope';
import {
  type AgeSummary,
  between,
  type DurationSummary,
  summarizeAges,
  summarizeDurations,
} from './summaries';

export interface StatsQuery {
  from: Date;
  to: Date;
  /** Only this server (within the scope). */
  guildId?: string;
  /** The servers the caller may see. */
  scope: GuildScope;
}

export interface GuildSupportStats {
  guildId: string;
  /** Support conversations that started in the period. */
  conversations: {
    total: number;
    /** The FAQ bot answered with articles and nobody asked for a person. */
    answeredByKnowledgeBase: number;
    answeredByKnowledgeBaseShare: number | null;
    handedToHuman: number;
    reachedAgent: number;
  };
  /** From asking for a person to an agent joining. */
  timeToAgent: DurationSummary;
  /** From asking for a person to the agent's first message. */
  firstAgentResponse: DurationSummary;
  /** From the agent joining to the close. */
  handleTime: DurationSummary;
  /** Ratings of support cases opened in the period. */
  satisfaction: {
    count: number;
    average: number | null;
    distribution: Record<'1' | '2' | '3' | '4' | '5', number>;
  };
  /** Bug reports and feature requests. */
  reports: {
    opened: number;
    triaged: number;
    resolved: number;
    declined: number;
    /** From report to first triage, for reports triaged in the period. */
    timeToTriage: DurationSummary;
    /** From report to resolution or decline, for reports closed in the period. */
    timeToClose: DurationSummary;
    /** Reports still open at the end of the period, by how long they have waited. */
    waiting: { untriaged: AgeSummary; triaged: AgeSummary };
  };
}

export interface SupportStats {
  from: string;
  to: string;
  guilds: GuildSupportStats[];
}

const CLOSED_REPORT_STATUSES = new Set(['resolved', 'closed']);

/**
 * Support analytics per server for a period, from the case database: conversations (migration 0004, recorded by
 * the support workflow), ratings on support cases, and bug and feature reports with their events. Timestamps are
 * ISO 8601 text on both dialects, so ranges compare as strings; the arithmetic happens here, the same everywhere.
 */
export async function supportStats(db: Kysely<CaseTables>, query: StatsQuery): Promise<SupportStats> {
  const from = query.from.toISOString();
  const to = query.to.toISOString();
  const guilds = guildFilter(query);
  if (guilds !== undefined && guilds.length === 0) return { from, to, guilds: [] };

  let conversations = db
    .selectFrom('support_conversations')
    .select([
      'guild_id',
      'kb_answered_at',
      'human_requested_at',
      'agent_joined_at',
      'first_agent_reply_at',
      'closed_at',
    ])
    .where('started_at', '>=', from)
    .where('started_at', '<', to);
  let ratings = db
    .selectFrom('cases')
    .select(['guild_id', 'rating'])
    .where('type', '=', 'support')
    .where('rating', 'is not', null)
    .where('created_at', '>=', from)
    .where('created_at', '<', to);
  // Every report that was open at some point of the period: opened before its end, not closed before its start.
  let reports = db
    .selectFrom('cases')
    .leftJoin(
      db
        .selectFrom('case_events')
        .select(['case_number'])
        .select((eb) => eb.fn.min('at').as('triaged_at'))
        .where('action', '=', 'triaged')
        .groupBy('case_number')
        .as('triage'),
      'triage.case_number',
      'cases.number',
    )
    .select(['cases.guild_id', 'cases.status', 'cases.created_at', 'cases.closed_at', 'triage.triaged_at'])
    .where('cases.type', 'in', ['bug', 'feature'])
    .where('cases.created_at', '<', to)
    .where((eb) => eb.or([eb('cases.closed_at', 'is', null), eb('cases.closed_at', '>=', from)]));
  if (guilds !== undefined) {
    conversations = conversations.where('guild_id', 'in', guilds);
    ratings = ratings.where('guild_id', 'in', guilds);
    reports = reports.where('cases.guild_id', 'in', guilds);
  }
  const [conversationRows, ratingRows, reportRows] = await Promise.all([
    conversations.execute(),
    ratings.execute(),
    reports.execute(),
  ]);

  const ids = new Set<string>([
    ...(query.guildId ? [query.guildId] : []),
    ...conversationRows.map((r) => r.guild_id),
    ...ratingRows.map((r) => r.guild_id),
    ...reportRows.map((r) => r.guild_id),
  ]);
  return {
    from,
    to,
    guilds: [...ids].sort().map((guildId) => ({
      guildId,
      ...conversationStats(conversationRows.filter((r) => r.guild_id === guildId)),
      satisfaction: satisfaction(ratingRows.filter((r) => r.guild_id === guildId).map((r) => r.rating!)),
      reports: reportStats(
        reportRows.filter((r) => r.guild_id === guildId),
        from,
        to,
      ),
    })),
  };
}

/** The servers to read: the one asked for (if the scope allows it), or the scope's; undefined means all. */
function guildFilter(query: StatsQuery): readonly string[] | undefined {
  const { scope, guildId } = query;
  if (guildId !== undefined) return scope.kind === 'all' || scope.guildIds.includes(guildId) ? [guildId] : [];
  return scope.kind === 'all' ? undefined : scope.guildIds;
}

function conversationStats(
  rows: {
    kb_answered_at: string | null;
    human_requested_at: string | null;
    agent_joined_at: string | null;
    first_agent_reply_at: string | null;
    closed_at: string | null;
  }[],
): Pick<GuildSupportStats, 'conversations' | 'timeToAgent' | 'firstAgentResponse' | 'handleTime'> {
  const answered = rows.filter((r) => r.kb_answered_at && !r.human_requested_at).length;
  const defined = (values: (number | undefined)[]) => values.filter((v): v is number => v !== undefined);
  return {
    conversations: {
      total: rows.length,
      answeredByKnowledgeBase: answered,
      answeredByKnowledgeBaseShare:
        rows.length > 0 ? Math.round((answered / rows.length) * 1000) / 1000 : null,
      handedToHuman: rows.filter((r) => r.human_requested_at).length,
      reachedAgent: rows.filter((r) => r.agent_joined_at).length,
    },
    timeToAgent: summarizeDurations(
      defined(rows.map((r) => between(r.human_requested_at, r.agent_joined_at))),
    ),
    firstAgentResponse: summarizeDurations(
      defined(rows.map((r) => between(r.human_requested_at, r.first_agent_reply_at))),
    ),
    handleTime: summarizeDurations(defined(rows.map((r) => between(r.agent_joined_at, r.closed_at)))),
  };
}

function satisfaction(ratings: number[]): GuildSupportStats['satisfaction'] {
  const distribution = { '1': 0, '2': 0, '3': 0, '4': 0, '5': 0 };
  for (const rating of ratings) {
    const key = String(rating) as keyof typeof distribution;
    if (key in distribution) distribution[key] += 1;
  }
  const average =
    ratings.length > 0 ? Math.round((ratings.reduce((s, r) => s + r, 0) / ratings.length) * 100) / 100 : null;
  return { count: ratings.length, average, distribution };
}

function reportStats(
  rows: { status: string; created_at: string; closed_at: string | null; triaged_at: string | null }[],
  from: string,
  to: string,
): GuildSupportStats['reports'] {
  const within = (at: string | null) => at !== null && at >= from && at < to;
  const closedInPeriod = rows.filter((r) => within(r.closed_at) && CLOSED_REPORT_STATUSES.has(r.status));
  const triagedInPeriod = rows.filter((r) => within(r.triaged_at));
  // Still waiting at the end of the period: not closed by then.
  const waiting = rows.filter((r) => r.closed_at === null || r.closed_at >= to);
  const end = Date.parse(to);
  const age = (r: { created_at: string }) => end - Date.parse(r.created_at);
  return {
    opened: rows.filter((r) => within(r.created_at)).length,
    triaged: triagedInPeriod.length,
    resolved: closedInPeriod.filter((r) => r.status === 'resolved').length,
    declined: closedInPeriod.filter((r) => r.status === 'closed').length,
    timeToTriage: summarizeDurations(triagedInPeriod.map((r) => between(r.created_at, r.triaged_at)!)),
    timeToClose: summarizeDurations(closedInPeriod.map((r) => between(r.created_at, r.closed_at)!)),
    waiting: {
      untriaged: summarizeAges(waiting.filter((r) => r.triaged_at === null || r.triaged_at >= to).map(age)),
      triaged: summarizeAges(waiting.filter((r) => r.triaged_at !== null && r.triaged_at < to).map(age)),
    },
  };
}
