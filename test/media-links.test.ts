import assert from 'node:assert/strict';
import { Router } from 'express';
import pino from 'pino';
import { createTwilioClient } from '../src/activities/twilio/twilio-client';
import { loadConfig } from '../src/config';
import { createWebhookApp } from '../src/webhooks/app';
import { listen, type RunningHttpServer } from '../src/webhooks/http-server';
import { MEDIA_LINK_MOUNT, MediaLinks, mediaLinksFromConfig } from '../src/media/media-links';
import { createMediaRouter } from '../src/webhooks/media/media-router';
import { TwilioMediaContent } from '../src/webhooks/media/twilio-media-content';
import { mapConversationEvent, parseConversationEvent } from '../src/webhooks/twilio/conversation-events';
import { parseMessageMedia } from '../src/media/message-media';
import { FakeTwilio } from '../src/sandbox/twilio/fake-twilio';
import { newSid } from '../src/sandbox/twilio/sids';

const SECRET = 'media-link-test-secret';
const SERVICE = `IS${'a'.repeat(32)}`;
const MEDIA = `ME${'b'.repeat(32)}`;
const NOW = Date.UTC(2026, 0, 1);

function query(link: string): { exp: number; sig: string; path: string } {
  const url = new URL(link);
  return { exp: Number(url.searchParams.get('exp')), sig: url.searchParams.get('sig')!, path: url.pathname };
}

describe('media links: signing', () => {
  const links = new MediaLinks({
    publicBaseUrl: 'https://support.example.com/',
    secret: SECRET,
    ttlSeconds: 3600,
  });

  it('names the media under /media/twilio on the public URL and expires after the configured time', () => {
    const link = links.linkFor({ serviceSid: SERVICE, mediaSid: MEDIA }, NOW);
    assert.ok(link.startsWith(`https://support.example.com/media/twilio/${SERVICE}/${MEDIA}?`), link);
    const { exp, sig } = query(link);
    assert.equal(exp, NOW / 1000 + 3600);
    assert.match(sig, /^[A-Za-z0-9_-]{43}$/);
    assert.equal(links.check({ serviceSid: SERVICE, mediaSid: MEDIA }, exp, sig, NOW), 'ok');
    assert.equal(links.check({ serviceSid: SERVICE, mediaSid: MEDIA }, exp, sig, exp * 1000 - 1), 'ok');
    assert.equal(links.check({ serviceSid: SERVICE, mediaSid: MEDIA }, exp, sig, exp * 1000), 'expired');
  });

  it('rejects a signature moved to other media, another service, another expiry, or made with another secret', () => {
    const { exp, sig } = query(links.linkFor({ serviceSid: SERVICE, mediaSid: MEDIA }, NOW));
    const otherMedia = `ME${'c'.repeat(32)}`;
    assert.equal(links.check({ serviceSid: SERVICE, mediaSid: otherMedia }, exp, sig, NOW), 'bad_signature');
    assert.equal(
      links.check({ serviceSid: `IS${'d'.repeat(32)}`, mediaSid: MEDIA }, exp, sig, NOW),
      'bad_signature',
    );
    assert.equal(
      links.check({ serviceSid: SERVICE, mediaSid: MEDIA }, exp + 86400, sig, NOW),
      'bad_signature',
    );
    const other = new MediaLinks({
      publicBaseUrl: 'https://support.example.com',
      secret: 'other',
      ttlSeconds: 3600,
    });
    assert.equal(other.check({ serviceSid: SERVICE, mediaSid: MEDIA }, exp, sig, NOW), 'bad_signature');
    assert.equal(links.check({ serviceSid: SERVICE, mediaSid: MEDIA }, exp, 'short', NOW), 'bad_signature');
  });

  it('is configured from MEDIA_LINK_SECRET, else the auth token, and needs PUBLIC_BASE_URL', () => {
    const base = { PUBLIC_BASE_URL: 'https://support.example.com', TWILIO_AUTH_TOKEN: 'token' };
    const fromToken = mediaLinksFromConfig(loadConfig(base, { dotenvPath: false }))!;
    const fromSecret = mediaLinksFromConfig(
      loadConfig(
        { ...base, MEDIA_LINK_SECRET: 'rotated', MEDIA_LINK_TTL_SECONDS: '60' },
        { dotenvPath: false },
      ),
    )!;
    const ref = { serviceSid: SERVICE, mediaSid: MEDIA };
    const a = query(fromToken.linkFor(ref, NOW));
    const b = query(fromSecret.linkFor(ref, NOW));
    assert.equal(a.exp, NOW / 1000 + 7 * 24 * 3600, 'seven days by default');
    assert.equal(b.exp, NOW / 1000 + 60);
    assert.equal(
      fromSecret.check(ref, a.exp, a.sig, NOW),
      'bad_signature',
      'the dedicated secret replaces the token',
    );
    assert.equal(
      mediaLinksFromConfig(loadConfig({ TWILIO_AUTH_TOKEN: 'token' }, { dotenvPath: false })),
      undefined,
    );
    assert.equal(
      mediaLinksFromConfig(loadConfig({ PUBLIC_BASE_URL: 'https://x.example' }, { dotenvPath: false })),
      undefined,
    );
  });
});

describe('media links: the /media route against the Twilio fake', function () {
  this.timeout(20_000);
  const AUTH_TOKEN = 'f00df00df00df00df00df00df00df00d';
  let fake: FakeTwilio;
  let server: RunningHttpServer;
  let links: MediaLinks;
  let base: string;

  beforeEach(async () => {
    fake = await new FakeTwilio({ authToken: AUTH_TOKEN }).start();
    // The links carry our own URL, known only once the server listens: the router goes into a mounted holder.
    const holder = Router();
    const app = createWebhookApp({
      logger: pino({ level: 'silent' }),
      readiness: async () => undefined,
      routers: [{ path: MEDIA_LINK_MOUNT, router: holder }],
    });
    server = await listen(app, 0, '127.0.0.1');
    base = `http://127.0.0.1:${server.port}`;
    links = new MediaLinks({ publicBaseUrl: base, secret: SECRET, ttlSeconds: 3600 });
    const content = new TwilioMediaContent(
      createTwilioClient({ accountSid: fake.accountSid, authToken: AUTH_TOKEN, apiBaseUrl: fake.url }),
    );
    holder.use(createMediaRouter({ links, content, logger: pino({ level: 'silent' }) }));
  });

  afterEach(async () => {
    await server.close();
    await fake.stop();
    assert.deepEqual(fake.specViolations, []);
  });

  /** An agent in the fake sends a file; returns its MCS sid. */
  async function agentSendsFile(bytes = 'PNGDATA'): Promise<string> {
    const c = [...fake.conversations.values()][0] ?? (await createConversation());
    const message = await fake.agentReplies(c.sid, 'see attached', {
      identity: 'alice_40example_2Ecom',
      media: [{ filename: 'screenshot.png', contentType: 'image/png', content: bytes }],
    });
    return fake.mediaOf(message.sid)[0]!.sid;
  }

  async function createConversation() {
    const client = createTwilioClient({
      accountSid: fake.accountSid,
      authToken: AUTH_TOKEN,
      apiBaseUrl: fake.url,
    });
    const created = await client.conversations.v1.conversations.create({ friendlyName: 'media test' });
    return fake.conversation(created.sid);
  }

  it('redirects a valid link to the media’s short-lived direct URL, which serves the file', async () => {
    const mediaSid = await agentSendsFile('\x89PNG fake image bytes');
    const link = links.linkFor({ serviceSid: fake.serviceSid, mediaSid });
    const res = await fetch(link, { redirect: 'manual' });
    assert.equal(res.status, 302);
    assert.equal(res.headers.get('cache-control'), 'no-store');
    const location = res.headers.get('location')!;
    assert.ok(location.startsWith(`${fake.url}/media.us1/${mediaSid}?`), location);
    const mcs = fake.requests.find((r) => r.product === 'mcs.us1');
    assert.equal(mcs?.path, `/v1/Services/${fake.serviceSid}/Media/${mediaSid}`);
    assert.equal(mcs?.status, 200);

    const file = await fetch(link);
    assert.equal(file.status, 200);
    assert.equal(file.headers.get('content-type'), 'image/png');
    assert.equal(Buffer.from(await file.arrayBuffer()).toString(), '\x89PNG fake image bytes');
  });

  it('answers 403 to a forged, altered or expired link, without asking Twilio', async () => {
    const mediaSid = await agentSendsFile();
    const good = new URL(links.linkFor({ serviceSid: fake.serviceSid, mediaSid }));
    const forged = new URL(good);
    forged.searchParams.set('sig', 'A'.repeat(43));
    const otherMedia = new URL(good.href.replace(mediaSid, newSid('ME')));
    const later = new URL(good);
    later.searchParams.set('exp', String(Number(good.searchParams.get('exp')) + 1));
    const missing = new URL(good);
    missing.searchParams.delete('sig');
    const expiredLinks = new MediaLinks({ publicBaseUrl: base, secret: SECRET, ttlSeconds: 1 });
    const expired = expiredLinks.linkFor({ serviceSid: fake.serviceSid, mediaSid }, Date.now() - 10_000);
    const mcsBefore = fake.requests.filter((r) => r.product === 'mcs.us1').length;

    for (const [name, url, error] of [
      ['forged', forged.href, 'invalid_link'],
      ['other media', otherMedia.href, 'invalid_link'],
      ['extended expiry', later.href, 'invalid_link'],
      ['no signature', missing.href, 'invalid_link'],
      ['expired', expired, 'link_expired'],
      [
        'not a media sid',
        `${base}/media/twilio/${fake.serviceSid}/..%2F..%2Fetc?exp=1&sig=x`,
        'invalid_link',
      ],
    ] as const) {
      const res = await fetch(url, { redirect: 'manual' });
      assert.equal(res.status, 403, name);
      assert.deepEqual(await res.json(), { error }, name);
    }
    assert.equal(fake.requests.filter((r) => r.product === 'mcs.us1').length, mcsBefore);
  });

  it('answers 404 for a correctly signed link to media Twilio does not have', async () => {
    const res = await fetch(links.linkFor({ serviceSid: fake.serviceSid, mediaSid: newSid('ME') }), {
      redirect: 'manual',
    });
    assert.equal(res.status, 404);
    assert.deepEqual(await res.json(), { error: 'media_not_found' });
  });

  it('answers 502 when Twilio fails or refuses our credentials', async () => {
    const mediaSid = await agentSendsFile();
    const link = links.linkFor({ serviceSid: fake.serviceSid, mediaSid });
    fake.fail({ status: 503, match: { path: /\/Media\// } });
    const unavailable = await fetch(link, { redirect: 'manual' });
    assert.equal(unavailable.status, 502);
    assert.deepEqual(await unavailable.json(), { error: 'twilio_unavailable' });

    const wrongCredentials = new TwilioMediaContent(
      createTwilioClient({ accountSid: fake.accountSid, authToken: 'not-the-token', apiBaseUrl: fake.url }),
    );
    await assert.rejects(
      wrongCredentials.directUrl({ serviceSid: fake.serviceSid, mediaSid }),
      /401|Authentication/,
    );

    // After the outage the same link works.
    assert.equal((await fetch(link, { redirect: 'manual' })).status, 302);
  });
});

describe('media links: agent attachments in the Conversations webhook', () => {
  const links = new MediaLinks({
    publicBaseUrl: 'https://support.example.com',
    secret: SECRET,
    ttlSeconds: 3600,
  });
  const noNames = { get: () => undefined };
  const body = (media?: unknown[]) => ({
    AccountSid: newSid('AC'),
    EventType: 'onMessageAdded',
    Source: 'SDK',
    ChatServiceSid: SERVICE,
    ConversationSid: newSid('CH'),
    MessageSid: newSid('IM'),
    Author: 'alice_40example_2Ecom',
    Body: 'Here is the fix',
    Attributes: '{}',
    ...(media ? { Media: JSON.stringify(media) } : {}),
  });

  function mapped(raw: Record<string, string>, withLinks = true) {
    const parsed = parseConversationEvent(raw);
    assert.ok(parsed.ok && 'event' in parsed);
    const result = mapConversationEvent(
      parsed.event,
      noNames,
      withLinks ? (m) => links.linkFor(m) : undefined,
    );
    assert.equal(result.kind, 'signal');
    assert.equal(result.event.kind, 'message');
    return result.event;
  }

  it('turns each media item into a signed link with its name and type', () => {
    const second = `ME${'e'.repeat(32)}`;
    const event = mapped(
      body([
        { Sid: MEDIA, Filename: 'fix.png', ContentType: 'image/png', Size: 1234, Category: 'media' },
        { Sid: second, Filename: 'log.txt', ContentType: 'text/plain', Size: 10, Category: 'media' },
      ]),
    );
    assert.equal(event.text, 'Here is the fix');
    assert.deepEqual(
      event.attachments.map((a) => [a.name, a.contentType]),
      [
        ['fix.png', 'image/png'],
        ['log.txt', 'text/plain'],
      ],
    );
    for (const [i, mediaSid] of [MEDIA, second].entries()) {
      const { exp, sig, path } = query(event.attachments[i]!.url);
      assert.equal(path, `/media/twilio/${SERVICE}/${mediaSid}`);
      assert.equal(links.check({ serviceSid: SERVICE, mediaSid }, exp, sig), 'ok');
    }
  });

  it('names the files in the text when no link can be made (no signer, no service sid, no media sid)', () => {
    const media = [{ Sid: MEDIA, Filename: 'fix.png', ContentType: 'image/png', Size: 1, Category: 'media' }];
    assert.equal(mapped(body(media), false).text, 'Here is the fix\n[attachment: fix.png]');
    const { ChatServiceSid: _, ...withoutService } = body(media);
    const noService = mapped(withoutService);
    assert.deepEqual(noService.attachments, []);
    assert.equal(noService.text, 'Here is the fix\n[attachment: fix.png]');
    const noSid = mapped(body([{ Filename: 'odd.bin' }, ...media]));
    assert.equal(noSid.text, 'Here is the fix\n[attachment: odd.bin]');
    assert.deepEqual(
      noSid.attachments.map((a) => a.name),
      ['fix.png'],
    );
  });

  it('reads both the webhook and the REST media shapes, and survives malformed lists', () => {
    assert.deepEqual(
      parseMessageMedia(JSON.stringify([{ sid: MEDIA, filename: 'a.pdf', content_type: 'application/pdf' }])),
      [{ sid: MEDIA, filename: 'a.pdf', contentType: 'application/pdf' }],
    );
    assert.deepEqual(parseMessageMedia(JSON.stringify([{ Sid: 'not-a-sid', Filename: 'x](evil)\n' }])), [
      { filename: 'x (evil)' },
    ]);
    assert.deepEqual(parseMessageMedia('not json'), []);
    assert.deepEqual(parseMessageMedia('{"Sid":"x"}'), []);
    assert.deepEqual(parseMessageMedia(JSON.stringify([null, 3])), [
      { filename: 'file' },
      { filename: 'file' },
    ]);
    assert.deepEqual(parseMessageMedia(undefined), []);
  });
});
