/*
 * The one way flexcord writes an error down, in a log line or as the cause of a Temporal failure: the fields that
 * say what went wrong and nothing that says how the request was made. HTTP clients hang the whole request on their
 * errors (axios, under twilio-node: `config.headers.Authorization`, which is `Basic base64(AccountSid:AuthToken)`,
 * and the socket with its raw header text; @discordjs/rest: the request body; gRPC: the call metadata with the API
 * key), so an error logged or stored whole leaks credentials.
 *
 * Pure functions with no Node built-ins, so activity and worker code can share them.
 */

/** What is kept of an error. */
export interface SafeError {
  name: string;
  message: string;
  /** A Temporal failure's type, a body-parser error's type. */
  type?: string;
  /** A system error code (ECONNREFUSED), a Discord JSON error code, a PostgreSQL SQLSTATE. */
  code?: string | number;
  /** The HTTP status of a failed call. */
  status?: number;
  /** Twilio's own error code (20404, 20429...). */
  twilioCode?: number;
  /** The call that failed, as `METHOD /path`: no host, no query string, no credentials. */
  route?: string;
  /** Stack frames only (`at file:line`): where it happened, without the message repeated. */
  stack?: string;
  cause?: SafeError;
  /** The errors an AggregateError collects (a connection tried on IPv6 and IPv4). */
  errors?: SafeError[];
}

const MAX_DEPTH = 4;
const MAX_FRAMES = 12;
const MAX_MESSAGE = 2000;

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null;
const str = (v: unknown): string | undefined => (typeof v === 'string' && v ? v : undefined);
const num = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);

/**
 * Credentials that travel inside text: an Authorization header copied into a message, `user:password@` in a URL,
 * a `Bot`/`Bearer`/`Basic` scheme followed by its token. Whatever else a message says is kept.
 */
export function scrubText(text: string): string {
  return text
    .replace(/\b(authorization|proxy-authorization)(\s*[:=]\s*)("?)[^\r\n",}]+/gi, '$1$2$3[redacted]')
    .replace(/\b(Basic|Bearer|Bot)\s+[A-Za-z0-9._~+/=-]{20,}/g, '$1 [redacted]')
    .replace(/\b([a-z][a-z0-9+.-]*:\/\/)([^\s/:@"']+):([^\s/@"']+)@/gi, '$1$2:[redacted]@');
}

function frames(stack: unknown): string | undefined {
  if (typeof stack !== 'string') return undefined;
  const lines = stack
    .split('\n')
    .filter((l) => /^\s+at /.test(l))
    .slice(0, MAX_FRAMES);
  return lines.length > 0 ? lines.map((l) => l.trim()).join('\n') : undefined;
}

function pathOf(url: unknown): string | undefined {
  if (typeof url !== 'string' || !url) return undefined;
  try {
    return new URL(url, 'http://relative.invalid').pathname;
  } catch {
    return undefined;
  }
}

function routeOf(e: Record<string, unknown>): string | undefined {
  // TwilioApiError: method and path, already without the query.
  if (str(e.method) && str(e.path)) return `${String(e.method).toUpperCase()} ${pathOf(e.path)}`;
  // @discordjs/rest DiscordAPIError / HTTPError: method and full URL.
  if (str(e.method) && str(e.url)) return `${String(e.method).toUpperCase()} ${pathOf(e.url)}`;
  // @discordjs/rest RateLimitError: the bucketed route.
  if (str(e.route)) return `${str(e.method)?.toUpperCase() ?? ''} ${String(e.route)}`.trim();
  // axios (under twilio-node): the request config.
  if (isObject(e.config) && str(e.config.url)) {
    return `${str(e.config.method)?.toUpperCase() ?? 'GET'} ${pathOf(e.config.url)}`;
  }
  return undefined;
}

function statusOf(e: Record<string, unknown>): number | undefined {
  return (
    num(e.status) ??
    num(e.statusCode) ??
    (isObject(e.response) ? (num(e.response.status) ?? num(e.response.statusCode)) : undefined)
  );
}

/** Twilio errors carry Twilio's own code in `code`: TwilioApiError (ours) and twilio-node's RestException. */
function isTwilioError(e: Record<string, unknown>, name: string): boolean {
  return name === 'TwilioApiError' || name === 'RestException' || 'moreInfo' in e;
}

export function safeError(err: unknown, depth = 0): SafeError {
  if (!isObject(err)) return { name: typeof err, message: scrubText(String(err)).slice(0, MAX_MESSAGE) };
  // axios names its errors plain "Error"; the class says more (AxiosError).
  const className = typeof err.constructor === 'function' ? err.constructor.name : undefined;
  const declared = str(err.name);
  const name =
    (declared === 'Error' && className && className !== 'Object' ? className : declared) ?? 'Error';
  const out: SafeError = {
    name,
    message: scrubText(typeof err.message === 'string' ? err.message : '').slice(0, MAX_MESSAGE),
  };
  if (str(err.type)) out.type = String(err.type);
  const status = statusOf(err);
  if (status !== undefined) out.status = status;
  const code = err.code;
  if (isTwilioError(err, name) && num(code) !== undefined) out.twilioCode = code as number;
  else if (typeof code === 'string' || num(code) !== undefined) out.code = code as string | number;
  const route = routeOf(err);
  if (route) out.route = route;
  const stack = frames(err.stack);
  if (stack) out.stack = stack;
  if (depth < MAX_DEPTH) {
    if (err.cause !== undefined && err.cause !== null) out.cause = safeError(err.cause, depth + 1);
    if (Array.isArray(err.errors) && err.errors.length > 0) {
      out.errors = err.errors.slice(0, 5).map((e) => safeError(e, depth + 1));
    }
  }
  return out;
}

/**
 * An Error with only the safe fields of another, for a Temporal failure's `cause`: Temporal stores a cause's name,
 * message and stack, and the worker logs the whole object when an activity fails.
 */
export class SafeCause extends Error {
  readonly code?: string | number;
  readonly status?: number;
  readonly twilioCode?: number;
  readonly route?: string;

  constructor(safe: SafeError) {
    super(safe.message, safe.cause ? { cause: new SafeCause(safe.cause) } : undefined);
    this.name = safe.name;
    if (safe.code !== undefined) this.code = safe.code;
    if (safe.status !== undefined) this.status = safe.status;
    if (safe.twilioCode !== undefined) this.twilioCode = safe.twilioCode;
    if (safe.route !== undefined) this.route = safe.route;
    this.stack = `${safe.name}: ${safe.message}${safe.stack ? `\n    ${safe.stack.split('\n').join('\n    ')}` : ''}`;
  }
}

export function safeCause(err: unknown): SafeCause {
  return err instanceof SafeCause ? err : new SafeCause(safeError(err));
}

/** Keys whose value is a credential wherever they appear, compared without case, `-` or `_`. */
const SECRET_KEY_PARTS = [
  'authorization',
  'password',
  'passwd',
  'secret',
  'token',
  'apikey',
  'cookie',
  'signature',
  'credential',
  'databaseurl',
  'connectionstring',
  'privatekey',
];

export function isSecretKey(key: string): boolean {
  const k = key.toLowerCase().replace(/[-_\s]/g, '');
  return SECRET_KEY_PARTS.some((part) => k.includes(part));
}

const REDACTED = '[redacted]';
const MAX_REDACT_DEPTH = 10;

/**
 * The second line of defence for anything logged: errors at any depth become `safeError`s, keys that name a
 * credential (any case, any depth) are blanked, and credentials inside text are scrubbed. Returns a copy; the value
 * passed in is not changed.
 */
export function redactDeep(value: unknown): unknown {
  const seen = new WeakSet<object>();
  const visit = (v: unknown, depth: number): unknown => {
    if (typeof v === 'string') return scrubText(v);
    if (!isObject(v)) return v;
    if (v instanceof Error) return safeError(v);
    if (seen.has(v)) return '[circular]';
    if (depth >= MAX_REDACT_DEPTH) return '[too deep]';
    if (v instanceof Date) return v;
    if (ArrayBuffer.isView(v)) return `[${v.byteLength} bytes]`;
    seen.add(v);
    if (Array.isArray(v)) return v.map((item) => visit(item, depth + 1));
    if (v instanceof Map) return visit(Object.fromEntries(v), depth);
    if (v instanceof Set) return visit([...v], depth);
    const out: Record<string, unknown> = {};
    for (const [key, child] of Object.entries(v)) {
      out[key] =
        isSecretKey(key) && child !== undefined && child !== null ? REDACTED : visit(child, depth + 1);
    }
    return out;
  };
  return visit(value, 0);
}

/** A safe error as lines for a terminal: what, where, and what caused it. */
export function describeError(err: unknown): string {
  const lines: string[] = [];
  const add = (e: SafeError, indent: string, prefix: string) => {
    const facts = [
      e.code !== undefined ? `code ${e.code}` : '',
      e.status !== undefined ? `HTTP ${e.status}` : '',
      e.twilioCode !== undefined ? `Twilio ${e.twilioCode}` : '',
      e.route ?? '',
    ].filter(Boolean);
    lines.push(`${indent}${prefix}${e.name}: ${e.message}${facts.length ? ` (${facts.join(', ')})` : ''}`);
    for (const frame of e.stack?.split('\n') ?? []) lines.push(`${indent}    ${frame}`);
    for (const inner of e.errors ?? []) add(inner, `${indent}  `, '- ');
    if (e.cause) add(e.cause, indent, 'caused by ');
  };
  add(safeError(err), '', '');
  return lines.join('\n');
}
