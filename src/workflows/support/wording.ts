import { type Locale, t } from '../../shared/i18n/translate';
import type { Attachment, CloseReason } from '../../shared/support-types';

/*
 * What the bot says in a support conversation, in the conversation's language. The texts live in the message
 * catalogs (src/shared/i18n); this module only composes them, so the tone stays the same and tests can match on it.
 * Pure: runs inside the workflow.
 */

export interface Wording {
  GREETING: string;
  FOUND_ARTICLES: string;
  NOTHING_FOUND: string;
  SEARCH_UNAVAILABLE: string;
  ALREADY_WAITING: string;
  ALREADY_WITH_AGENT: string;
  CASE_FAILED: string;
  RATING_PROMPT: string;
  caseOpened(caseNumber: number): string;
  agentJoined(agentName: string): string;
  nowTalkingWith(agentName: string): string;
  slaBreached(expectedWaitMinutes: number): string;
  slaBreachedLive(expectedWaitMinutes: number, position: number | undefined): string;
  inactivityReminder(minutesLeft: number): string;
  closed(reason: CloseReason, caseNumber: number | undefined): string;
  ratingThanks(rating: number): string;
  fileRefused(file: Attachment, limits: { maxBytes: number; extensions: string[] } | undefined): string;
}

/** Everything the conversation says, in `locale` (English when unset: conversations from before languages). */
export function wordingFor(locale: Locale | undefined): Wording {
  const say = (key: Parameters<typeof t>[1], values?: Record<string, unknown>) => t(locale, key, values);
  const wait = (minutes: number, place?: string) =>
    [
      say('support.busy'),
      place,
      say('support.expectedWait', { count: minutes }),
      say('support.priorityRaised'),
    ]
      .filter(Boolean)
      .join(' ');
  return {
    GREETING: say('support.greeting'),
    FOUND_ARTICLES: say('support.foundArticles'),
    NOTHING_FOUND: say('support.nothingFound'),
    SEARCH_UNAVAILABLE: say('support.searchUnavailable'),
    ALREADY_WAITING: say('support.alreadyWaiting'),
    ALREADY_WITH_AGENT: say('support.alreadyWithAgent'),
    CASE_FAILED: say('support.caseFailed'),
    RATING_PROMPT: say('support.ratingPrompt'),
    caseOpened: (caseNumber) => say('support.caseOpened', { caseNumber }),
    agentJoined: (agentName) => say('support.agentJoined', { agentName }),
    nowTalkingWith: (agentName) => say('support.nowTalkingWith', { agentName }),
    slaBreached: (minutes) => wait(minutes),
    slaBreachedLive: (minutes, position) =>
      wait(
        minutes,
        position === undefined
          ? undefined
          : position === 1
            ? say('support.nextInLine')
            : say('support.placeInLine', { position }),
      ),
    inactivityReminder: (minutesLeft) =>
      minutesLeft <= 1 ? say('support.reminderSoon') : say('support.reminder', { count: minutesLeft }),
    closed: (reason, caseNumber) =>
      [
        say(`support.closed.${reason}`),
        caseNumber === undefined ? undefined : say('support.closedCase', { caseNumber }),
        say('support.comeBack'),
      ]
        .filter(Boolean)
        .join(' '),
    ratingThanks: (rating) => say('support.ratingThanks', { rating }),
    fileRefused: (file, limits) => {
      const name = file.name ?? say('support.yourFile');
      if (file.refused === 'too_large') {
        return limits
          ? say('support.fileTooLarge', { name, megabytes: Math.floor(limits.maxBytes / 1_048_576) })
          : say('support.fileTooLargeNoLimit', { name });
      }
      if (file.refused === 'type_not_accepted') {
        return limits
          ? say('support.fileType', { name, extensions: limits.extensions.join(', ') })
          : say('support.fileTypeNoLimit', { name });
      }
      return say('support.fileGone', { name });
    },
  };
}

/** The English wording under its old names, for code and tests written before languages. */
export const {
  GREETING,
  FOUND_ARTICLES,
  NOTHING_FOUND,
  SEARCH_UNAVAILABLE,
  ALREADY_WAITING,
  ALREADY_WITH_AGENT,
  CASE_FAILED,
  RATING_PROMPT,
  caseOpened,
  agentJoined,
  nowTalkingWith,
  slaBreached,
  slaBreachedLive,
  inactivityReminder,
  closed,
  ratingThanks,
  fileRefused,
} = wordingFor(undefined);
