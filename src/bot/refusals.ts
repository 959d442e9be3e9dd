import { type Refusal } from '../moderation';

/** Discord renders `<t:…:R>` as "in 20 minutes" in the reader's own language and time zone. */
function relative(at: number): string {
  return `<t:${Math.ceil(at / 1000)}:R>`;
}

/**
 * What a user is told when the abuse controls stop them: polite, without the staff's reason for a block (that is
 * for staff), and with when they can try again when that is known.
 */
export function refusalText(refusal: Refusal, now: number = Date.now()): string {
  if (refusal.why === 'blocked') {
    const until = refusal.until ? ` This ends ${relative(Date.parse(refusal.until))}.` : '';
    return (
      "Sorry, you can't use support in this server right now." +
      until +
      " If you think this is a mistake, please contact the server's moderators."
    );
  }
  const again = relative(now + refusal.retryAfterSeconds * 1000);
  return refusal.limit === 'reports'
    ? `You've filed several reports in a short time. Please try again ${again}.`
    : `You've started several support conversations in a short time. Please continue in the one you have, or try again ${again}.`;
}
