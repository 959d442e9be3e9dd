import type { AnnouncementEmbed } from '../../activities/discord/port';
import { type Locale, t } from '../../shared/i18n/translate';
import type { FollowUpClock, ReportState } from '../../shared/report-types';

/* What staff read in the follow-up channel about a report nobody has moved. Pure: runs inside the workflow. */

const UNITS = [
  [24 * 60 * 60 * 1000, 'reminder.day'],
  [60 * 60 * 1000, 'reminder.hour'],
  [60 * 1000, 'reminder.minute'],
  [1000, 'reminder.second'],
] as const;

/** "7 days", "48 hours", "90 minutes": the largest unit the interval is a whole number of. */
export function describeInterval(ms: number, locale?: Locale): string {
  const [unit, key] = UNITS.find(([u]) => ms >= u && ms % u === 0) ?? UNITS[3];
  return t(locale, key, { count: Math.max(1, Math.round(ms / unit)) });
}

export function staffReminder(
  state: ReportState,
  caseNumber: number,
  clock: FollowUpClock,
  intervalMs: number,
): AnnouncementEmbed {
  // Staff read these in the server's channel: in the server's language.
  const locale = state.guildLocale;
  const say = (key: Parameters<typeof t>[1], values?: Record<string, unknown>) => t(locale, key, values);
  const what = say(state.type === 'bug' ? 'reminder.bug' : 'reminder.feature', { caseNumber });
  const waited = describeInterval(intervalMs * (clock.reminders + 1), locale);
  // Discord renders <t:…:R> as "3 days ago" in each reader's own time zone.
  const since = `<t:${Math.floor(clock.since / 1000)}:R>`;
  const untriaged = state.phase === 'open';
  const title = say(untriaged ? 'reminder.titleUntriaged' : 'reminder.titleStale', { what, waited });
  const who = state.assignedAgent
    ? say('reminder.assigned', { agent: state.assignedAgent })
    : say('reminder.unassigned');
  return {
    title: title.slice(0, 256),
    description: [
      say('reminder.summary', {
        title: state.title,
        reporter: state.reporter.name,
        priority: state.priority,
        who,
      }),
      say(untriaged ? 'reminder.filed' : 'reminder.lastMoved', { since }),
      say(untriaged ? 'reminder.nextUntriaged' : 'reminder.nextStale', { caseNumber }),
    ].join('\n'),
    footer: say('reminder.footer', { n: clock.reminders + 1 }),
  };
}
