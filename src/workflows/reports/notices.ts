import { type Locale, t } from '../../shared/i18n/translate';
import type { ReportState } from '../../shared/report-types';

/*
 * The DMs a reporter gets, in the reporter's language (the message catalogs in src/shared/i18n). Plain text: the
 * Discord adapter sends them as they are. The staff's note is added as they wrote it.
 */

function label(state: ReportState, caseNumber: number, locale: Locale | undefined): string {
  return t(locale, state.type === 'bug' ? 'report.bugLabel' : 'report.featureLabel', {
    caseNumber,
    title: state.title,
  });
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
  const key = resolution === 'resolved' ? 'report.resolved' : 'report.declined';
  return withNote(t(state.locale, key, { label: label(state, caseNumber, state.locale) }), note);
}

export function duplicateNotice(
  state: ReportState,
  caseNumber: number,
  original: number,
  note?: string,
): string {
  return withNote(
    t(state.locale, 'report.duplicate', { label: label(state, caseNumber, state.locale), original }),
    note,
  );
}

/** To a duplicate's reporter, in their language: the original they duplicated has closed. */
export function originalClosedNotice(
  state: ReportState,
  original: number,
  duplicate: number,
  resolution: 'resolved' | 'declined',
  note: string,
  locale?: Locale,
): string {
  const key = resolution === 'resolved' ? 'report.originalResolved' : 'report.originalDeclined';
  return withNote(t(locale, key, { original, title: state.title, duplicate }), note);
}

export function triagedNotice(state: ReportState, caseNumber: number, note?: string): string {
  return withNote(t(state.locale, 'report.triaged', { label: label(state, caseNumber, state.locale) }), note);
}
