import { randomBytes } from 'node:crypto';
import { getExpectedTwilioSignature } from 'twilio/lib/webhooks/webhooks';
import { type CheckOutcome, fail, pass, skip } from '../check';
import { type DoctorContext } from '../context';
import { errorSummary } from '../report';

/** Where the webhooks role answers doctor's signed call (the Twilio router is mounted at /twilio). */
export const DOCTOR_WEBHOOK_PATH = '/twilio/doctor';

/**
 * Whether Twilio's webhooks would reach this flexcord: a POST to PUBLIC_BASE_URL signed with X-Twilio-Signature as
 * Twilio signs, which only a flexcord webhook server with the same auth token answers with the nonce sent.
 */
export async function publicUrlReachesWebhooks(ctx: DoctorContext): Promise<CheckOutcome> {
  const { publicBaseUrl } = ctx.config.http;
  const { authToken } = ctx.config.twilio;
  if (!publicBaseUrl || !authToken) return skip('needs PUBLIC_BASE_URL and TWILIO_AUTH_TOKEN');
  const url = `${publicBaseUrl.replace(/\/+$/, '')}${DOCTOR_WEBHOOK_PATH}`;
  const shown = withoutUserInfo(publicBaseUrl);
  const nonce = randomBytes(18).toString('base64url');
  const params = { Nonce: nonce };
  const serveFix =
    `start the webhooks role (\`npm start\`, or \`flexcord start --role webhooks\`) and point ${shown} at its ` +
    `port ${ctx.config.http.port} (your tunnel, load balancer or reverse proxy)`;
  let response: Response;
  try {
    // Signed over the URL as configured, as the webhook server checks it; credentials in it go as Basic auth.
    const { target, authorization } = splitUserInfo(url);
    response = await fetch(target, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        'x-twilio-signature': getExpectedTwilioSignature(authToken, url, params),
        ...(authorization ? { authorization } : {}),
      },
      body: new URLSearchParams(params).toString(),
      redirect: 'manual',
      signal: AbortSignal.timeout(ctx.timeoutMs),
    });
  } catch (err) {
    return fail(`PUBLIC_BASE_URL ${shown} does not answer: ${errorSummary(causeOf(err))}`, serveFix);
  }
  const body = (await response.json().catch(() => undefined)) as { nonce?: unknown } | undefined;
  if (response.ok && body?.nonce === nonce)
    return pass(`${shown} reaches this flexcord's webhooks (signed call answered)`);
  if (response.status === 403) {
    return fail(
      `${shown} reaches a flexcord that rejects the signature: it runs with another TWILIO_AUTH_TOKEN or PUBLIC_BASE_URL`,
      'give the webhooks role the same TWILIO_AUTH_TOKEN and PUBLIC_BASE_URL as here, then restart it',
    );
  }
  return fail(
    `${shown}${DOCTOR_WEBHOOK_PATH} answered HTTP ${response.status}, not flexcord's webhook server`,
    serveFix,
  );
}

/** fetch fails with "fetch failed" and puts the reason (ECONNREFUSED, a timeout) in `cause`. */
function causeOf(err: unknown): unknown {
  return err instanceof Error && err.message === 'fetch failed' && err.cause ? err.cause : err;
}

/** fetch refuses a URL with credentials: they travel as an Authorization header instead. */
function splitUserInfo(url: string): { target: string; authorization?: string } {
  const parsed = new URL(url);
  if (!parsed.username && !parsed.password) return { target: url };
  const user = `${decodeURIComponent(parsed.username)}:${decodeURIComponent(parsed.password)}`;
  parsed.username = '';
  parsed.password = '';
  return { target: parsed.toString(), authorization: `Basic ${Buffer.from(user).toString('base64')}` };
}

/** PUBLIC_BASE_URL may carry basic-auth credentials for a proxy in front of flexcord: never shown. */
function withoutUserInfo(url: string): string {
  if (!URL.canParse(url)) return url;
  const parsed = new URL(url);
  parsed.username = '';
  parsed.password = '';
  return parsed.toString().replace(/\/$/, '');
}
