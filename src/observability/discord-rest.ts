import { type REST, RESTEvents } from '@discordjs/rest';
import { type FlexcordMetrics } from './metrics';
import { discordRouteTemplate } from './routes';
import { inSpan, SpanKind } from './spans';

/**
 * Counts every Discord REST answer by route and status, and every rate limit: a 429 from Discord, or a request the
 * client held back because its bucket was empty. Works on any @discordjs/rest client (the worker's, and the one
 * inside the bot's discord.js client), through the client's own events, so the adapters stay as they are.
 */
export function observeDiscordRest(rest: REST, metrics: FlexcordMetrics): void {
  rest.on(RESTEvents.Response, (request, response) => {
    const method = request.method.toUpperCase();
    const route = discordRouteTemplate(request.path);
    metrics.discordRequests.inc({ method, route, status: String(response.status) });
    if (response.status === 429) metrics.discordRateLimited.inc({ method, route, source: '429' });
  });
  rest.on(RESTEvents.RateLimited, (info) => {
    // `route` is the client's own bucket template (`/channels/:id/messages`).
    const route = discordRouteTemplate(info.route);
    metrics.discordRateLimited.inc({ method: info.method.toUpperCase(), route, source: 'bucket' });
  });
}

/**
 * Traces each Discord REST call as a client span (the last step on the path of a message to Discord). The client's
 * `request` is where every get/post/patch goes through; wrapping it on this one instance leaves the class alone.
 */
export function traceDiscordRest(rest: REST): void {
  const request = rest.request.bind(rest);
  rest.request = (options) => {
    const method = String(options.method ?? 'GET').toUpperCase();
    const route = discordRouteTemplate(options.fullRoute);
    const attributes = { 'http.request.method': method, 'url.template': route };
    return inSpan(`discord ${method} ${route}`, { kind: SpanKind.CLIENT, attributes }, () =>
      request(options),
    );
  };
}
