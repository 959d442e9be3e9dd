import { type Refusal } from '../moderation';
import { type Locale, t } from '../shared/i18n/translate';

/** Discord renders `<t:…:R>` as "in 20 minutes" in the reader's own language and time zone. */
function relative(at: number): string {
  return `<t:${Math.ceil(at / 1000)}:R>`;
}

/**
 * What a user is told when the abuse controls stop them: polite, without the staff's reason for a block (that is
 * for staff), and with when they can try again when that is known.
 */
export function refusalText(refusal: Refusal, locale?: Locale, now: number = Date.now()): string {
  if (refusal.why === 'blocked') {
    return [
      t(locale, 'bot.blocked'),
      refusal.until
        ? t(locale, 'bot.blockedUntil', { when: relative(Date.parse(refusal.until)) })
        : undefined,
      t(locale, 'bot.blockedContact'),
    ]
      .filter(Boolean)
      .join(' ');
  }
  const when = relative(now + refusal.retryAfterSeconds * 1000);
  return t(locale, refusal.limit === 'reports' ? 'bot.tooManyReports' : 'bot.tooManyConversations', { when });
}
