/**
 * A non-2xx answer from the Twilio REST API, with what twilio-node's RestException drops: the Retry-After header.
 * Thrown by RoutedRequestClient so the activity layer can decide between retrying and giving up.
 */
export class TwilioApiError extends Error {
  override readonly name = 'TwilioApiError';

  constructor(
    readonly status: number,
    /** Twilio's error code, e.g. 20404 (not found) or 20429 (too many requests). */
    readonly code: number | undefined,
    message: string,
    readonly moreInfo: string | undefined,
    /** Seconds to wait before retrying, when Twilio said so. */
    readonly retryAfterSeconds: number | undefined,
    readonly method: string,
    readonly path: string,
  ) {
    super(message);
  }

  static fromResponse(
    response: { statusCode: number; body: unknown; headers: Record<string, unknown> | undefined },
    request: { method: string; uri: string },
  ): TwilioApiError {
    const body = parseBody(response.body);
    const code = typeof body.code === 'number' ? body.code : undefined;
    const message =
      typeof body.message === 'string' && body.message ? body.message : `HTTP ${response.statusCode}`;
    const moreInfo = typeof body.more_info === 'string' ? body.more_info : undefined;
    return new TwilioApiError(
      response.statusCode,
      code,
      message,
      moreInfo,
      parseRetryAfter(headerValue(response.headers, 'retry-after')),
      request.method.toUpperCase(),
      safePath(request.uri),
    );
  }
}

function parseBody(body: unknown): Record<string, unknown> {
  if (typeof body === 'string') {
    try {
      const parsed: unknown = JSON.parse(body);
      return parsed && typeof parsed === 'object' ? (parsed as Record<string, unknown>) : {};
    } catch {
      return {};
    }
  }
  return body && typeof body === 'object' ? (body as Record<string, unknown>) : {};
}

function headerValue(headers: Record<string, unknown> | undefined, name: string): string | undefined {
  if (!headers) return undefined;
  for (const [key, value] of Object.entries(headers)) {
    if (key.toLowerCase() === name) return Array.isArray(value) ? String(value[0]) : String(value);
  }
  return undefined;
}

/** Retry-After is either delay-seconds or an HTTP date (RFC 9110 §10.2.3). */
export function parseRetryAfter(value: string | undefined, now = Date.now()): number | undefined {
  if (!value) return undefined;
  const trimmed = value.trim();
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Number(trimmed);
  const date = Date.parse(trimmed);
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, (date - now) / 1000);
}

/** The path only: query strings can carry identities, which do not belong in logs or failure messages. */
function safePath(uri: string): string {
  try {
    return new URL(uri).pathname;
  } catch {
    return uri.split('?')[0] ?? uri;
  }
}
