import type { AnnouncementEmbed } from '../../activities/discord/port';
import type { FollowUpClock, ReportState } from '../../shared/report-types';

/* What staff read in the follow-up channel about a report nobody has moved. Pure: runs inside the workflow. */

const UNITS: [ms: number, name: string][] = [
  [24 * 60 * 60 * 1000, 'day'],
  [60 * 60 * 1000, 'hour'],
  [60 * 1000, 'minute'],
  [1000, 'second'],
];

/** "7 days", "48 hours", "90 minutes": the largest unit the interval is a whole number of. */
export function describeInterval(ms: number): string {
  const [unit, name] = UNITS.find(([u]) => ms >= u && ms % u === 0) ?? [1000, 'second'];
  const n = Math.max(1, Math.round(ms / unit));
  return `${n} ${name}${n === 1 ? '' : 's'}`;
}

export function staffReminder(
  state: ReportState,
  caseNumber: number,
  clock: FollowUpClock,
  intervalMs: number,
): AnnouncementEmbed {
  const what = `${state.type === 'bug' ? 'Bug report' : 'Feature request'} #${caseNumber}`;
  const waited = describeInterval(intervalMs * (clock.reminders + 1));
  // Discord renders <t:…:R> as "3 days ago" in each reader's own time zone.
  const since = `<t:${Math.floor(clock.since / 1000)}:R>`;
  const untriaged = state.phase === 'open';
  const title = untriaged
    ? `${what} has waited ${waited} for triage`
    : `${what} has had no staff action for ${waited}`;
  const who = state.assignedAgent ? `assigned to ${state.assignedAgent}` : 'unassigned';
  const next = untriaged
    ? `Triage it with \`/case triage ${caseNumber}\`, or close it with \`/case close ${caseNumber}\`.`
    : `Add a note, assign it, or close it with \`/case close ${caseNumber}\`.`;
  return {
    title: title.slice(0, 256),
    description: [
      `"${state.title}" from ${state.reporter.name}, priority ${state.priority}, ${who}.`,
      `${untriaged ? 'Filed' : 'Last moved'} ${since}.`,
      next,
    ].join('\n'),
    footer: `reminder ${clock.reminders + 1}`,
  };
}
