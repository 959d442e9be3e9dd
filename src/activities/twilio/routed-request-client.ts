import RequestClient from 'twilio/lib/base/RequestClient';
import type Response from 'twilio/lib/http/response';
import { TwilioApiError } from './twilio-api-error';

/**
 * twilio-node's own HTTP client, with two changes:
 * - with a base URL, `https://<product>.twilio.com/<path>` goes to `<base>/<product>/<path>` instead, so tests
 *   and the offline sandbox reach the local Twilio fake through the real client;
 * - a non-2xx answer is thrown as a TwilioApiError that keeps Retry-After, which RestException drops.
 */
export class RoutedRequestClient extends RequestClient {
  private readonly baseUrl?: string;
  private readonly observe?: TwilioCallObserver;

  constructor(options: { baseUrl?: string; timeoutMs?: number; observe?: TwilioCallObserver } = {}) {
    // No auto-retry here: Temporal retries the whole activity, honouring Retry-After.
    super({ timeout: options.timeoutMs ?? 15_000, autoRetry: false, keepAlive: true });
    this.baseUrl = options.baseUrl?.replace(/\/+$/, '');
    this.observe = options.observe;
  }

  override async request<TData>(opts: RequestClient.RequestOptions<TData>): Promise<Response<TData>> {
    const uri = this.baseUrl ? rebase(opts.uri, this.baseUrl) : opts.uri;
    // Observed with the Twilio URI (before rebasing), so metrics and traces name the real route.
    const call = { method: String(opts.method ?? 'GET').toUpperCase(), uri: opts.uri };
    const response = this.observe
      ? await this.observe(call, () => super.request({ ...opts, uri }))
      : await super.request({ ...opts, uri });
    if (response.statusCode < 200 || response.statusCode >= 300) {
      throw TwilioApiError.fromResponse(response, { method: opts.method, uri });
    }
    return response;
  }
}

/**
 * Wraps each Twilio HTTP call (metrics and traces): gets the call's method and URI and runs it, so it sees both the
 * status and the time taken.
 */
export type TwilioCallObserver = <T extends { statusCode: number }>(
  call: { method: string; uri: string },
  run: () => Promise<T>,
) => Promise<T>;

export function rebase(uri: string, baseUrl: string): string {
  const url = new URL(uri);
  const product = url.hostname.endsWith('.twilio.com') ? url.hostname.slice(0, -'.twilio.com'.length) : '';
  if (!product) return uri;
  return `${baseUrl}/${product}${url.pathname}${url.search}`;
}
