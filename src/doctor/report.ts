import { type Config } from '../config';
import { safeError, scrubText } from '../logging/safe-error';
import { type CheckResult } from './check';

/**
 * Exit codes of `flexcord doctor`, for scripts and health probes:
 *   0  every check passed (skipped ones say why they could not run, and only follow a failed one)
 *   1  at least one check failed; each ✗ line says what to do
 */
export const DOCTOR_EXIT_CODES = { ok: 0, failed: 1 } as const;

export function exitCodeFor(results: CheckResult[]): number {
  return results.some((r) => r.status === 'fail') ? DOCTOR_EXIT_CODES.failed : DOCTOR_EXIT_CODES.ok;
}

const MARK = { pass: '✓', fail: '✗', skip: '-' } as const;

/** One line per check, the fix indented under a failed one, and a closing count. */
export function formatReport(results: CheckResult[]): string {
  const lines: string[] = [];
  for (const r of results) {
    lines.push(`${MARK[r.status]} ${r.title}: ${r.detail}`);
    if (r.status === 'fail' && r.fix) lines.push(`    fix: ${r.fix}`);
  }
  const failed = results.filter((r) => r.status === 'fail').length;
  const skipped = results.filter((r) => r.status === 'skip').length;
  lines.push(
    failed === 0
      ? `All ${results.length - skipped} checks passed${skipped ? ` (${skipped} skipped)` : ''}.`
      : `${failed} of ${results.length} checks failed${skipped ? `, ${skipped} skipped` : ''}.`,
  );
  return lines.join('\n');
}

/** `--json`: the same results, for scripts. */
export function jsonReport(results: CheckResult[]): string {
  return JSON.stringify(
    {
      ok: exitCodeFor(results) === DOCTOR_EXIT_CODES.ok,
      exitCode: exitCodeFor(results),
      checks: results.map(({ id, title, status, detail, fix, ms }) => ({
        id,
        title,
        status,
        detail,
        ...(fix ? { fix } : {}),
        ms,
      })),
    },
    null,
    2,
  );
}

/**
 * An error in one line for a check's detail: its message and status, never the request it came from (see
 * safe-error.ts), with credentials inside the text scrubbed.
 */
export function errorSummary(err: unknown): string {
  const e = safeError(err);
  const facts = [
    e.status !== undefined ? `HTTP ${e.status}` : '',
    e.twilioCode !== undefined ? `Twilio ${e.twilioCode}` : '',
    typeof e.code === 'string' ? e.code : '',
  ].filter(Boolean);
  // A connection refused on IPv6 and IPv4 arrives as an AggregateError with an empty message.
  const message = e.message || e.errors?.[0]?.message || e.cause?.message || e.name;
  return `${message}${facts.length ? ` (${facts.join(', ')})` : ''}`;
}

/**
 * The last line of defence: every configured secret, wherever it slipped into the text (an error message quoting a
 * URL, a server echoing a header), is replaced before anything is printed.
 */
export function withoutSecrets(text: string, config: Config | undefined): string {
  let out = scrubText(text);
  for (const secret of secretValues(config)) out = out.split(secret).join('[redacted]');
  return out;
}

function secretValues(config: Config | undefined): string[] {
  if (!config) return [];
  const values = [
    config.discord.token,
    config.twilio.authToken,
    config.twilio.apiSecret,
    config.twilio.identitySecret,
    config.mediaLinks.secret,
    config.payloads.codecToken,
    config.tracing.headers,
    ...config.payloads.keys.map((k) => k.key.toString('base64')),
    ...config.cases.apiTokens.map((t) => t.token),
    passwordOf(config.cases.databaseUrl),
    passwordOf(config.http.publicBaseUrl),
  ];
  // Short values would blank out ordinary words; no real credential is this short.
  return values.filter((v): v is string => typeof v === 'string' && v.length >= 6);
}

function passwordOf(url: string | undefined): string | undefined {
  if (!url || !URL.canParse(url)) return undefined;
  const password = new URL(url).password;
  return password ? decodeURIComponent(password) : undefined;
}
