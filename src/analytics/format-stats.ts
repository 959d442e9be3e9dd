import { type GuildSupportStats, type SupportStats } from './support-stats';
import { type AgeSummary, type DurationSummary } from './summaries';

/** 45s, 4m 10s, 2h 5m, 3d 4h: two units are enough to read a support figure. */
export function formatDuration(seconds: number): string {
  const units: [string, number][] = [
    ['d', 86_400],
    ['h', 3_600],
    ['m', 60],
    ['s', 1],
  ];
  const parts: string[] = [];
  let rest = Math.round(seconds);
  for (const [unit, size] of units) {
    if (rest >= size || (unit === 's' && parts.length === 0)) {
      parts.push(`${Math.floor(rest / size)}${unit}`);
      rest %= size;
    }
    if (parts.length === 2) break;
  }
  return parts.join(' ');
}

function durations(d: DurationSummary): string {
  if (d.count === 0) return '-';
  return `median ${formatDuration(d.medianSeconds!)} · p90 ${formatDuration(d.p90Seconds!)} · average ${formatDuration(d.averageSeconds!)} (${d.count})`;
}

function ages(a: AgeSummary): string {
  if (a.count === 0) return 'none';
  return `${a.count}, median age ${formatDuration(a.medianAgeSeconds!)}, oldest ${formatDuration(a.oldestAgeSeconds!)}`;
}

function percent(share: number | null): string {
  return share === null ? '-' : `${(share * 100).toFixed(1)}%`;
}

function guildBlock(g: GuildSupportStats): string[] {
  const c = g.conversations;
  const s = g.satisfaction;
  const r = g.reports;
  const stars = (['1', '2', '3', '4', '5'] as const).map((k) => `${k}★ ${s.distribution[k]}`).join(' · ');
  const rows: [string, string][] = [
    [
      'Conversations',
      `${c.total} · answered by the knowledge base alone ${c.answeredByKnowledgeBase} (${percent(c.answeredByKnowledgeBaseShare)}) · asked for a person ${c.handedToHuman} · reached an agent ${c.reachedAgent}`,
    ],
    ['Time to agent', durations(g.timeToAgent)],
    ['First agent response', durations(g.firstAgentResponse)],
    ['Handle time', durations(g.handleTime)],
    ['Satisfaction', s.count === 0 ? '-' : `${s.average} average (${s.count} ratings) · ${stars}`],
    [
      'Reports',
      `opened ${r.opened} · triaged ${r.triaged} · resolved ${r.resolved} · declined ${r.declined}`,
    ],
    ['Time to triage', durations(r.timeToTriage)],
    ['Time to close', durations(r.timeToClose)],
    ['Waiting, untriaged', ages(r.waiting.untriaged)],
    ['Waiting, triaged', ages(r.waiting.triaged)],
  ];
  return [`Server ${g.guildId}`, ...rows.map(([label, value]) => `  ${label.padEnd(22)}${value}`)];
}

/** The `flexcord stats` table: one block per server. */
export function formatStats(stats: SupportStats): string {
  const header = `Support from ${stats.from} to ${stats.to}`;
  if (stats.guilds.length === 0) return `${header}\n\nNothing recorded in this period.`;
  return [header, ...stats.guilds.flatMap((g) => ['', ...guildBlock(g)])].join('\n');
}
