import stem from 'wink-porter2-stemmer';

/*
 * How text becomes search terms, the same way for articles and questions: lower case, phrases players use for the
 * same thing folded together (synonyms), stop words dropped, then Porter2 stems, so "refunds", "refunded" and
 * "money back" all meet at one term.
 */

/** Multi-word phrases first (rewritten before splitting), each to one canonical word. */
const PHRASES: [RegExp, string][] = [
  [/\bmoney back\b/g, 'refund'],
  [/\b(?:log|sign)(?:ging|ged)? ?in\b/g, 'login'],
  [/\b(?:log|sign)(?:ging|ged)? ?out\b/g, 'logout'],
  [/\b(?:two|2)[ -]?(?:factor|step)(?: auth(?:entication)?)?\b|\b2fa\b/g, 'twofactor'],
  [/\bgame master\b/g, 'gm'],
  [/\bpass ?word\b/g, 'password'],
  [/\bfriend ?list\b/g, 'friends'],
  [/\bcustomer (?:service|support)\b/g, 'support'],
  [/\bin[- ]app purchase(s)?\b/g, 'purchase'],
  [/\bdata (?:deletion|removal)\b/g, 'gdpr'],
  [/\bdelete my data\b/g, 'gdpr'],
  [/\bpersonal data\b/g, 'privacy'],
  [/\bbattle ?pass\b/g, 'battlepass'],
  [/\bcharged twice\b/g, 'doublecharge'],
  [/\bdouble charged?\b/g, 'doublecharge'],
  [
    /\b(?:charged|billed|charge|bill|paid|taken)\b(?: \w+){0,2} (?:twice|two times|2 times|2x)\b/g,
    'doublecharge',
  ],
  // "Close my account" asks for deletion, while "the app keeps closing" is a crash: only the first is about accounts.
  [/\bclos(?:e|ing) (?:my |the |an? )?(?:acc|account)\b/g, 'delete account'],
  [
    /\b(?:keeps?|kept) (?:closing|shutting|quitting|kicking me out)\b|\bforce clos(?:e|es|ed|ing)\b/g,
    'crash',
  ],
  [/\bkicks? me out\b|\bblack screen\b|\bwhite screen\b/g, 'crash'],
  [
    /\b(?:lost|losing|lose|drops?|dropping|dropped|bad|unstable) (?:the )?(?:connection|internet|wifi|signal)\b/g,
    'lag',
  ],
  [/\bconnection (?:lost|drops?|dropping|issues?|problems?|errors?)\b|\brubber ?band(?:ing|s)?\b/g, 'lag'],
  [/\bdisplay ?name\b|\bin[- ]game name\b|\bgamer ?tag\b/g, 'username'],
  [/\bstarfall pass\b/g, 'battlepass subscription'],
  [/\b(?:real|actual) (?:person|human|people)\b|\blive agent\b/g, 'support agent'],
  [/\bplayer id\b/g, 'playerid'],
];

/** Single words players use interchangeably, mapped to one word (checked before and after stemming). */
const SYNONYMS: Record<string, string> = {
  reimburse: 'refund',
  refunded: 'refund',
  pw: 'password',
  pwd: 'password',
  passwd: 'password',
  passcode: 'password',
  ign: 'username',
  nick: 'username',
  permaban: 'ban',
  perma: 'ban',
  permabanned: 'ban',
  terminated: 'ban',
  muted: 'mute',
  silenced: 'mute',
  aimbot: 'cheat',
  wallhack: 'cheat',
  wallhacks: 'cheat',
  cheats: 'cheat',
  modded: 'cheat',
  scripts: 'cheat',
  scam: 'scam',
  scammed: 'scam',
  scammer: 'scam',
  scammers: 'scam',
  phishing: 'scam',
  nerf: 'balance',
  nerfed: 'balance',
  buff: 'balance',
  buffed: 'balance',
  op: 'balance',
  overpowered: 'balance',
  underpowered: 'balance',
  suggestion: 'suggest',
  idea: 'suggest',
  ideas: 'suggest',
  desync: 'lag',
  stutter: 'lag',
  stuttering: 'lag',
  wifi: 'network',
  internet: 'network',
  son: 'parent',
  daughter: 'parent',
  kids: 'parent',
  children: 'parent',
  unsubscribe: 'cancel',
  renew: 'renewal',
  renewing: 'renewal',
  autorenew: 'renewal',
  billed: 'charge',
  charged: 'charge',
  gone: 'missing',
  disappear: 'missing',
  emulator: 'emulator',
  bluestacks: 'emulator',
  pc: 'emulator',
  laptop: 'emulator',
  computer: 'emulator',
  chromebooks: 'chromebook',
  authenticator: 'twofactor',
  otp: 'twofactor',
  reimbursement: 'refund',
  chargeback: 'refund',
  repay: 'refund',
  banned: 'ban',
  suspended: 'ban',
  suspension: 'ban',
  suspend: 'ban',
  blocked: 'ban',
  locked: 'lock',
  appeal: 'appeal',
  unban: 'appeal',
  crash: 'crash',
  crashes: 'crash',
  crashing: 'crash',
  freeze: 'crash',
  freezes: 'crash',
  freezing: 'crash',
  frozen: 'crash',
  closes: 'crash',
  quits: 'crash',
  lag: 'lag',
  laggy: 'lag',
  lagg: 'lag',
  laggin: 'lag',
  lagging: 'lag',
  latency: 'lag',
  ping: 'lag',
  disconnect: 'lag',
  disconnects: 'lag',
  disconnected: 'lag',
  dc: 'lag',
  dcs: 'lag',
  dced: 'lag',
  dcing: 'lag',
  phone: 'device',
  tablet: 'device',
  iphone: 'ios',
  ipad: 'ios',
  apple: 'ios',
  samsung: 'android',
  pixel: 'android',
  gems: 'gem',
  diamonds: 'gem',
  currency: 'gem',
  coins: 'gold',
  buy: 'purchase',
  bought: 'purchase',
  purchased: 'purchase',
  payment: 'purchase',
  paid: 'purchase',
  pay: 'purchase',
  transaction: 'purchase',
  order: 'purchase',
  account: 'account',
  acc: 'account',
  profile: 'account',
  hacked: 'hack',
  compromised: 'hack',
  stolen: 'hack',
  trade: 'trade',
  trading: 'trade',
  swap: 'trade',
  gift: 'gift',
  gifting: 'gift',
  cheater: 'cheat',
  cheaters: 'cheat',
  cheating: 'cheat',
  hacker: 'cheat',
  hackers: 'cheat',
  exploit: 'cheat',
  exploiting: 'cheat',
  bot: 'cheat',
  botting: 'cheat',
  bug: 'bug',
  glitch: 'bug',
  glitched: 'bug',
  broken: 'bug',
  issue: 'bug',
  email: 'email',
  mail: 'email',
  'e-mail': 'email',
  reward: 'reward',
  rewards: 'reward',
  prize: 'reward',
  prizes: 'reward',
  loot: 'reward',
  event: 'event',
  tournament: 'event',
  season: 'season',
  delete: 'delete',
  deletion: 'delete',
  remove: 'delete',
  erase: 'delete',
  wipe: 'delete',
  restore: 'recover',
  recovery: 'recover',
  transfer: 'recover',
  migrate: 'recover',
  link: 'link',
  linking: 'link',
  harassment: 'report',
  harass: 'report',
  toxic: 'report',
  abuse: 'report',
  abusive: 'report',
  nickname: 'username',
  name: 'username',
  rename: 'username',
  update: 'update',
  patch: 'update',
  version: 'update',
  storage: 'space',
  download: 'install',
  reinstall: 'install',
  installing: 'install',
  battery: 'battery',
  overheating: 'heat',
  hot: 'heat',
  overheat: 'heat',
  missing: 'missing',
  disappeared: 'missing',
  vanished: 'missing',
  lost: 'missing',
  sub: 'subscription',
  membership: 'subscription',
  vip: 'subscription',
  premium: 'subscription',
  kid: 'parent',
  child: 'parent',
  minor: 'parent',
  parental: 'parent',
  clan: 'guild',
  team: 'guild',
  alliance: 'guild',
};

const STOP_WORDS = new Set(
  (
    'a an and are as at be but by can could did do does doing for from had has have how i if in into is it its ' +
    'me my of on or our so than that the their them then there these they this to was we were what when where ' +
    'which who why will with would you your im ive dont cant wont get got any some just still help please hi ' +
    'hello hey thanks thank after before again also about should shall might must very too really ' +
    'pls plz u ur yo bro guys lol omg wtf idk ok okay ya yeah anyone anybody'
  ).split(' '),
);

/** Lower-cases and rewrites phrases; `tokenize` splits the result. */
export function normaliseText(text: string): string {
  let out = text.toLowerCase().replace(/[’']/g, '');
  for (const [pattern, replacement] of PHRASES) out = out.replace(pattern, ` ${replacement} `);
  return out;
}

export function tokenize(text: string): string[] {
  return normaliseText(text)
    .split(/[^a-z0-9]+/)
    .filter(Boolean);
}

/** The synonym table keyed by stems too, so "reimbursed" finds the entry written as "reimburse". */
const STEMMED_SYNONYMS: Record<string, string> = Object.fromEntries(
  Object.entries(SYNONYMS).map(([word, canonical]) => [stem(word), canonical]),
);

/** One token to its index term, or null to drop it. */
export function processTerm(token: string): string | null {
  if (STOP_WORDS.has(token) || token.length < 2) return null;
  const direct = SYNONYMS[token];
  if (direct) return direct;
  const stemmed = /^[a-z]+$/.test(token) ? stem(token) : token;
  return SYNONYMS[stemmed] ?? STEMMED_SYNONYMS[stemmed] ?? stemmed;
}

/** The distinct terms of a piece of text, for excerpts. */
export function termsOf(text: string): Set<string> {
  const terms = new Set<string>();
  for (const token of tokenize(text)) {
    const term = processTerm(token);
    if (term) terms.add(term);
  }
  return terms;
}

/** Words the term rules already understand (synonyms and stop words), so spelling correction leaves them alone. */
export function ruleWords(): string[] {
  return [...Object.keys(SYNONYMS), ...STOP_WORDS];
}
