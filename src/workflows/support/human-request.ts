/*
 * Recognises a plain-language request for a person ("talk to a human", "agent", "real person") so the bot hands
 * over without making the user find the button. Pure and deterministic: runs inside the workflow.
 *
 * Two tiers keep near-misses out: strong targets ("human", "real person", "customer service") count after any
 * asking verb, while ambiguous words ("agent", "person", "someone", "mod") count only after a verb of talking to
 * someone, or when the whole message is nothing but that word ("agent", "agent please").
 */

/** Words that never change what a message asks for. */
const POLITENESS = new Set([
  'please',
  'pls',
  'plz',
  'now',
  'asap',
  'thanks',
  'thank',
  'you',
  'thx',
  'ty',
  'hi',
  'hello',
  'hey',
]);

/** Politeness plus the words around a request ("I want to get a real ..."): what is left must be only a target. */
const FILLER = new Set([
  ...POLITENESS,
  'plox',
  'ok',
  'okay',
  'just',
  'a',
  'an',
  'the',
  'some',
  'real',
  'actual',
  'live',
  'i',
  'want',
  'need',
  'would',
  'like',
  'to',
  'me',
  'can',
  'could',
  'get',
  'give',
  'support',
  'right',
  'away',
  'immediately',
  'instead',
  'rather',
]);

const STRONG_TARGETS = [
  'human',
  'humans',
  'human being',
  'real person',
  'actual person',
  'real human',
  'live person',
  'live agent',
  'live chat',
  'live support',
  'human agent',
  'support agent',
  'real agent',
  'representative',
  'rep',
  'customer service',
  'customer support',
  'support team',
  'support staff',
  'staff member',
  'staff',
  'game master',
  'operator',
  'somebody real',
  'someone real',
  'a person',
  'human support',
];

const WEAK_TARGETS = [
  'agent',
  'person',
  'someone',
  'somebody',
  'anyone',
  'anybody',
  'mod',
  'moderator',
  'gm',
  'dev',
];

const ASKING_VERBS = [
  'talk',
  'speak',
  'chat',
  'connect',
  'transfer',
  'escalate',
  'put',
  'get',
  'want',
  'need',
  'give',
  'reach',
  'contact',
  'see',
  'request',
  'call',
  'bring',
  'send',
  'prefer',
  'have',
];
const TALKING_VERBS = ['talk', 'speak', 'chat', 'connect', 'transfer', 'put', 'reach', 'contact', 'escalate'];

/** Words that may follow the target in a request ("an agent please", "a human to look at this"). */
const ALLOWED_AFTER = new Set([
  'please',
  'pls',
  'plz',
  'now',
  'asap',
  'instead',
  'to',
  'who',
  'that',
  'because',
  'for',
  'here',
  'rather',
  'right',
  'immediately',
  'i',
  'as',
  'about',
  'on',
  'not',
  'and',
  'thanks',
  'thank',
  'again',
  'today',
  'already',
  'from',
  'with',
  'this',
  'if',
  'so',
  'or',
  'ive',
  'im',
  'my',
  'it',
]);

/** Whole-message phrases that ask for a person without naming one. */
const DIRECT_PHRASES = [
  'not a bot',
  'no bot',
  'no more bot',
  'stop bot',
  'not the bot',
  'not talking to a bot',
  'no bots',
  'is anyone there',
  'is there anyone there',
  'is anybody there',
  'is there a human',
  'are there any humans',
  'escalate',
  'escalate this',
  'escalate please',
  'let me talk to someone',
  'i want to talk to someone',
  'connect me',
  'transfer me',
  'put me through',
  'talk to someone',
  'speak to someone',
];

export function normaliseForMatching(text: string): string {
  return text
    .toLowerCase()
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[’']/g, '')
    .replace(/[^a-z0-9]+/g, ' ')
    .trim()
    .replace(/\s+/g, ' ');
}

function escape(word: string): string {
  return word.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function targetPattern(targets: string[]): string {
  // Longest first, so "real person" wins over "person".
  return [...targets]
    .sort((a, b) => b.length - a.length)
    .map(escape)
    .join('|');
}

const STRONG = targetPattern(STRONG_TARGETS);
const WEAK = targetPattern(WEAK_TARGETS);
const AFTER_TARGET = `(?=$| (?:${[...ALLOWED_AFTER].map(escape).join('|')})\\b)`;
const GAP = '(?: [a-z0-9]+){0,4}? ';

const strongRequest = new RegExp(`\\b(?:${ASKING_VERBS.join('|')})\\b${GAP}(?:${STRONG})${AFTER_TARGET}`);
const weakRequest = new RegExp(
  `\\b(?:${TALKING_VERBS.join('|')})\\b${GAP}(?:${WEAK}|${STRONG})${AFTER_TARGET}`,
);
const bareTarget = new RegExp(`^(?:${STRONG}|${WEAK})$`);

/** True when the message asks for a human rather than for an answer. */
export function isHumanRequest(text: string): boolean {
  const normalised = normaliseForMatching(text);
  if (normalised.length === 0) return false;
  const words = normalised.split(' ');
  const polite = words.filter((w) => !POLITENESS.has(w)).join(' ');
  if (DIRECT_PHRASES.includes(polite)) return true;
  if (bareTarget.test(polite)) return true;
  const core = words.filter((w) => !FILLER.has(w)).join(' ');
  if (core.length > 0 && bareTarget.test(core)) return true;
  return strongRequest.test(normalised) || weakRequest.test(normalised);
}
