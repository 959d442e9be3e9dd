/*
 * Route templates for metric labels and span names: ids, tokens and names never become label values, so the number
 * of series stays small whatever the traffic.
 */

/** `/channels/1234567890123456789/messages?x=1` → `/channels/:id/messages`. */
export function discordRouteTemplate(path: string): string {
  const [pathname = ''] = path.split('?');
  return pathname
    .split('/')
    .map((segment) => {
      if (segment === '' || segment === '@me' || segment.startsWith(':')) return segment;
      if (/^\d+$/.test(segment)) return ':id';
      // Discord's own path words are lowercase; anything else is a token, an emoji or a name.
      return /^[a-z][a-z0-9-]{0,39}$/.test(segment) ? segment : ':param';
    })
    .join('/');
}

/**
 * `https://conversations.twilio.com/v1/Conversations/CH…/Messages?Order=desc` → `conversations /v1/Conversations/:sid/Messages`.
 * Twilio paths alternate a collection and an id after the version (`/v1/Workspaces/WS…/Tasks/WT…`), and an id
 * may be a unique name, so every second segment is templated, not only what looks like a SID.
 */
export function twilioRouteTemplate(uri: string): string {
  let url: URL;
  try {
    url = new URL(uri);
  } catch {
    return 'unknown';
  }
  const product = url.hostname.endsWith('.twilio.com')
    ? url.hostname.slice(0, -'.twilio.com'.length).split('.')[0]!
    : 'local';
  const [version, ...rest] = url.pathname.split('/').filter(Boolean);
  const segments = rest.map((segment, i) => (i % 2 === 1 ? ':sid' : segment.replace(/\.json$/, '')));
  return `${product} /${[version ?? '', ...segments].join('/')}`;
}
