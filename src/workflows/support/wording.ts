import type { Attachment, CloseReason } from '../../shared/support-types';

/* What the bot says, in one place so the tone stays the same and tests can match on it. */

export const GREETING =
  "Hi! I'm the support bot. Ask me anything about the game and I'll look through our help articles. " +
  'If you would rather talk to a person, press "Talk to a human" or just say so.';

export const FOUND_ARTICLES = 'These articles look like a match for your question:';

export const NOTHING_FOUND =
  "I couldn't find a good answer to that in our help articles. Would you like to talk to a person from the support team?";

export const SEARCH_UNAVAILABLE =
  "I can't search the help articles right now. You can ask for a person from the support team instead.";

export const ALREADY_WAITING = "You're already in the queue; an agent will be with you soon.";

export const ALREADY_WITH_AGENT = 'An agent is already with you in this conversation.';

export const CASE_FAILED =
  "Sorry, I couldn't open a support case just now. Please try again in a few minutes, or ask again here.";

export function caseOpened(caseNumber: number): string {
  return `Case #${caseNumber} opened, connecting you to an agent. Anything you write here now reaches them too.`;
}

export function agentJoined(agentName: string): string {
  return `${agentName} from the support team joined the conversation.`;
}

/** After a transfer in Flex (or anyone new joining), who the user is talking with now. */
export function nowTalkingWith(agentName: string): string {
  return `You're now talking with ${agentName}.`;
}

export function slaBreached(expectedWaitMinutes: number): string {
  return (
    'All our agents are busy right now, sorry for the wait. ' +
    `Expected wait: about ${expectedWaitMinutes} more minute${expectedWaitMinutes === 1 ? '' : 's'}. ` +
    "We've raised the priority of your case."
  );
}

/** The SLA notice with TaskRouter's live figures: the wait they give and, when known, the place in the queue. */
export function slaBreachedLive(expectedWaitMinutes: number, position: number | undefined): string {
  const place =
    position === undefined
      ? ''
      : position === 1
        ? "You're next in line. "
        : `You're number ${position} in line. `;
  return (
    'All our agents are busy right now, sorry for the wait. ' +
    place +
    `Expected wait: about ${expectedWaitMinutes} more minute${expectedWaitMinutes === 1 ? '' : 's'}. ` +
    "We've raised the priority of your case."
  );
}

export function inactivityReminder(minutesLeft: number): string {
  const left = minutesLeft <= 1 ? 'in a minute' : `in about ${minutesLeft} minutes`;
  return `Are you still there? This conversation closes ${left} if nobody writes.`;
}

const CLOSE_EXPLANATIONS: Record<CloseReason, string> = {
  agent_closed: 'The agent closed this conversation.',
  task_completed: 'The agent finished with your case.',
  task_canceled: 'The support team closed this request.',
  user_closed: 'You closed this conversation.',
  inactivity: 'This conversation was closed after a period of inactivity.',
  flex_failed:
    "Sorry, we couldn't connect you to an agent this time. Your case is saved and the team will look at it.",
};

export function closed(reason: CloseReason, caseNumber: number | undefined): string {
  const ref = caseNumber === undefined ? '' : ` (case #${caseNumber})`;
  return `${CLOSE_EXPLANATIONS[reason]}${ref} Need more help? Use /helpme or write here anytime to start again.`;
}

export const RATING_PROMPT = 'How did we do? Rate this conversation from 1 (bad) to 5 (great).';

export function ratingThanks(rating: number): string {
  return `Thanks for rating us ${rating}/5!`;
}

/** Why a file the user sent did not reach the agent, and what would. */
export function fileRefused(
  file: Attachment,
  limits: { maxBytes: number; extensions: string[] } | undefined,
): string {
  const name = `"${file.name ?? 'your file'}"`;
  if (file.refused === 'too_large') {
    const most = limits
      ? `, more than the ${Math.floor(limits.maxBytes / 1_048_576)} MB an agent can receive`
      : '';
    return `I couldn't pass ${name} on to the agent: the file is too large${most}. A smaller file, or a link to it, will work.`;
  }
  if (file.refused === 'type_not_accepted') {
    const accepted = limits ? ` The agent can receive ${limits.extensions.join(', ')} files.` : '';
    return `I couldn't pass ${name} on to the agent: that type of file isn't accepted.${accepted}`;
  }
  return `I couldn't pass ${name} on to the agent: Discord no longer has the file. Please send it again.`;
}
