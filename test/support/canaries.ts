import { type ChildProcess, spawn } from 'node:child_process';
import path from 'node:path';
import { historyToJSON } from '@temporalio/common/lib/proto-utils';
import { type Client } from '@temporalio/client';

/**
 * Canary credentials: values that must never appear in a log line, a failure or a workflow history, in any form a
 * leak takes (as written, and base64-encoded the way HTTP Basic auth and payloads carry them).
 */
export const CANARY = {
  accountSid: 'AC0ca9a270ca9a270ca9a270ca9a270c',
  authToken: 'canaryAuthToken7f3e9b2d5a1c8e4f',
  apiKey: 'SK0ca9a270ca9a270ca9a270ca9a270c',
  apiSecret: 'canaryApiSecret4d8b1e7a2c9f6e3b',
  discordToken: 'canaryDiscordToken.X2bY7.q9Wv3kLm8NpRt5sU1',
  apiToken: 'canaryCaseApiToken5e2a9c7b3d1f8e6a',
  mediaLinkSecret: 'canaryMediaLinkSecret8b4e1d7c2a9f',
  dbPassword: 'canaryDbPassword3c7e1a9d5b2f',
  identitySecret: 'canaryIdentitySecret6a2d8f4b1e9c',
  otlpToken: 'canaryOtlpToken9e3b7d1c5a8f',
  codecToken: 'canaryCodecToken2f7a9c3e1b8d5a6f',
  /** 32 bytes: an AES-256 key, set base64-encoded in PAYLOAD_ENCRYPTION_KEYS. */
  payloadKey: 'canaryPayloadKey0123456789abcdef',
} as const;

const SECRETS = {
  authToken: CANARY.authToken,
  apiSecret: CANARY.apiSecret,
  discordToken: CANARY.discordToken,
  apiToken: CANARY.apiToken,
  mediaLinkSecret: CANARY.mediaLinkSecret,
  dbPassword: CANARY.dbPassword,
  identitySecret: CANARY.identitySecret,
  otlpToken: CANARY.otlpToken,
  codecToken: CANARY.codecToken,
  payloadKey: CANARY.payloadKey,
};

/** Every form a canary may leak in, by a label that says which secret and how. */
export function canaryForms(): Map<string, string> {
  const forms = new Map<string, string>();
  const b64 = (s: string) => Buffer.from(s).toString('base64');
  const b64url = (s: string) => Buffer.from(s).toString('base64url');
  for (const [name, value] of Object.entries(SECRETS)) {
    forms.set(name, value);
    forms.set(`${name} (base64)`, b64(value).replace(/=+$/, ''));
    forms.set(`${name} (base64url)`, b64url(value));
  }
  // HTTP Basic auth as twilio-node sends it.
  forms.set('Basic AccountSid:AuthToken', b64(`${CANARY.accountSid}:${CANARY.authToken}`).replace(/=+$/, ''));
  forms.set('Basic ApiKey:ApiSecret', b64(`${CANARY.apiKey}:${CANARY.apiSecret}`).replace(/=+$/, ''));
  return forms;
}

/** The labels of every canary form found in `text`. */
export function findCanaries(text: string): string[] {
  return [...canaryForms()].filter(([, form]) => text.includes(form)).map(([label]) => label);
}

/**
 * Every string reachable from `value` (own properties, enumerable or not, to `maxDepth`), so a failure object can be
 * searched for what it carries, not only for what its message says. Buffers are read as UTF-8 and base64.
 */
export function reachableText(value: unknown, maxDepth = 8): string {
  const out: string[] = [];
  const seen = new Set<unknown>();
  const visit = (v: unknown, depth: number) => {
    if (typeof v === 'string') {
      out.push(v);
      return;
    }
    if (!v || typeof v !== 'object' || depth > maxDepth || seen.has(v) || seen.size > 50_000) return;
    seen.add(v);
    if (Buffer.isBuffer(v) || v instanceof Uint8Array) {
      const buf = Buffer.from(v);
      out.push(buf.toString('utf8'), buf.toString('base64'));
      return;
    }
    for (const key of Reflect.ownKeys(v)) {
      let child: unknown;
      try {
        child = (v as Record<string | symbol, unknown>)[key];
      } catch {
        continue;
      }
      if (typeof key === 'string') out.push(key);
      visit(child, depth + 1);
    }
  };
  visit(value, 0);
  return out.join('\n');
}

/**
 * A workflow's history as `temporal workflow show --output json` exports it, plus every payload decoded (payload data
 * is base64 in the export, so a canary inside a payload would otherwise hide at any alignment).
 */
export async function exportedHistoryText(client: Client, workflowId: string): Promise<string> {
  const history = await client.workflow.getHandle(workflowId).fetchHistory();
  const json = historyToJSON(history);
  const decoded: string[] = [];
  const visit = (v: unknown) => {
    if (!v || typeof v !== 'object') return;
    if (Array.isArray(v)) return v.forEach(visit);
    for (const [key, child] of Object.entries(v)) {
      if (key === 'data' && typeof child === 'string')
        decoded.push(Buffer.from(child, 'base64').toString('utf8'));
      else visit(child);
    }
  };
  visit(JSON.parse(json));
  const described = await client.workflow.getHandle(workflowId).describe();
  return [json, ...decoded, JSON.stringify(described.raw)].join('\n');
}

const BIN = path.resolve(__dirname, '..', '..', 'bin', 'flexcord.js');

/** `flexcord <args>` as an operator runs it, its stdout and stderr collected. */
export class FlexcordProcess {
  output = '';
  private readonly child: ChildProcess;
  readonly exited: Promise<number | null>;

  constructor(args: string[], env: Record<string, string>) {
    this.child = spawn(process.execPath, [BIN, ...args], {
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env },
      cwd: path.resolve(__dirname, '..', '..'),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.child.stdout!.on('data', (chunk: Buffer) => (this.output += chunk.toString()));
    this.child.stderr!.on('data', (chunk: Buffer) => (this.output += chunk.toString()));
    this.exited = new Promise((resolve) => this.child.once('exit', (code) => resolve(code)));
  }

  /** Waits until the output matches `pattern` (or the process exits, which fails the wait). */
  async waitFor(pattern: RegExp, timeoutMs = 60_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    let exited = false;
    void this.exited.then(() => (exited = true));
    while (!pattern.test(this.output)) {
      if (exited) throw new Error(`flexcord exited before ${pattern}:\n${this.output}`);
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${pattern}:\n${this.output}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  /** SIGTERM, then the exit code (graceful shutdown flushes the logs). */
  async stop(): Promise<number | null> {
    if (this.child.exitCode === null) this.child.kill('SIGTERM');
    return this.exited;
  }
}
