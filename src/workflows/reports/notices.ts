import type { ReportState } from '../../shared/report-types';

/* The DMs a reporter gets. Plain text: the Discord adapter sends them as they are. */

function label(state: ReportState, caseNumber: number): string {
  return `${state.type === 'bug' ? 'bug report' : 'feature request'} #${caseNumber} "${state.title}"`;
}

function withNote(text: string, note?: string): string {
  return note?.trim() ? `${text}\n\n${note.trim()}` : text;
}

export function closedNotice(
  state: ReportState,
  caseNumber: number,
  resolution: 'resolved' | 'declined',
  note: string,
): string {
  const verb = resolution === 'resolved' ? 'has been resolved' : 'was declined';
  return withNote(`Your ${label(state, caseNumber)} ${verb}.`, note);
}

export function duplicateNotice(
  state: ReportState,
  caseNumber: number,
  original: number,
  note?: string,
): string {
  return withNote(
    `Thanks for your ${label(state, caseNumber)}. The team already tracks the same thing as #${original}, so your ` +
      `report was linked to it. You will hear from us here when #${original} is resolved.`,
    note,
  );
}

export function originalClosedNotice(
  state: ReportState,
  original: number,
  duplicate: number,
  resolution: 'resolved' | 'declined',
  note: string,
): string {
  const verb = resolution === 'resolved' ? 'has been resolved' : 'was declined';
  return withNote(`#${original} "${state.title}", which you reported as #${duplicate}, ${verb}.`, note);
}

export function triagedNotice(state: ReportState, caseNumber: number, note?: string): string {
  return withNote(
    `Your ${label(state, caseNumber)} has been triaged: the team is looking into it. ` +
      `You will hear from us here when there is news.`,
    note,
  );
}
