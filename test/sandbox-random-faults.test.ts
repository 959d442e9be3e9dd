import assert from 'node:assert/strict';
import http from 'node:http';
import { type AddressInfo } from 'node:net';
import { FakeDiscord } from '../src/sandbox/discord';
import { RandomFaults } from '../src/sandbox/random-faults';
import { FakeTwilio } from '../src/sandbox/twilio/fake-twilio';

/*
 * The fakes' chaos options (used by `npm run chaos`): a share of requests fails at random in a reproducible
 * sequence, and a share of Twilio's webhooks is lost. Each kind of failure must look to a client like the real
 * thing: a 429 with Retry-After, a 5xx, a dropped connection before or after the work was done.
 */
describe('random faults in the fakes', () => {
  it('fails the share asked for, the same way for the same seed', () => {
    const draw = (seed: number) => {
      const faults = new RandomFaults({ rate: 0.2, seed });
      return Array.from({ length: 2000 }, () => faults.next() ?? 'ok');
    };
    const first = draw(7);
    assert.deepEqual(draw(7), first);
    assert.notDeepEqual(draw(8), first);
    const failed = first.filter((k) => k !== 'ok').length;
    assert.ok(failed > 320 && failed < 480, `${failed} of 2000 failed, not about 20%`);
    for (const kind of ['rate_limited', 'server_error', 'no_answer', 'answer_lost'])
      assert.ok(first.filter((k) => k === kind).length > 50, `${kind} is one of the four kinds`);
  });

  it('makes the Discord fake answer 429 or 5xx, or drop the connection before or after posting', async () => {
    const discord = await new FakeDiscord({ rateLimits: [], globalRateLimit: false }).start();
    try {
      const dm = discord.dmChannelFor(discord.addUser('ana').id);
      discord.randomFaults = new RandomFaults({ rate: 1, seed: 3 });
      const outcomes: string[] = [];
      for (let i = 0; i < 40; i++) {
        try {
          const res = await fetch(`${discord.apiUrl}/v10/channels/${dm.id}/messages`, {
            method: 'POST',
            headers: { authorization: `Bot ${discord.token}`, 'content-type': 'application/json' },
            body: JSON.stringify({ content: `m${i}` }),
          });
          outcomes.push(String(res.status));
          if (res.status === 429) assert.ok(Number(res.headers.get('retry-after')) >= 1);
        } catch {
          outcomes.push('dropped');
        }
      }
      const counts = discord.randomFaults.counts;
      assert.equal(outcomes.filter((o) => o === '429').length, counts.rate_limited);
      assert.equal(outcomes.filter((o) => o === '500').length, counts.server_error);
      assert.equal(outcomes.filter((o) => o === 'dropped').length, counts.no_answer + counts.answer_lost);
      assert.equal(discord.messagesIn(dm.id).length, counts.answer_lost, 'only lost answers posted');
      assert.ok(counts.no_answer > 0 && counts.answer_lost > 0);
    } finally {
      await discord.stop();
    }
  });

  it('makes the Twilio fake answer 429 or 503, or drop the connection before or after creating', async () => {
    const twilio = await new FakeTwilio().start();
    try {
      twilio.randomFaults = new RandomFaults({ rate: 1, seed: 5 });
      const auth = Buffer.from(`${twilio.accountSid}:${twilio.authToken}`).toString('base64');
      const outcomes: string[] = [];
      for (let i = 0; i < 40; i++) {
        try {
          const res = await fetch(`${twilio.url}/conversations/v1/Conversations`, {
            method: 'POST',
            headers: { authorization: `Basic ${auth}`, 'content-type': 'application/x-www-form-urlencoded' },
            body: new URLSearchParams({ FriendlyName: `c${i}` }).toString(),
          });
          outcomes.push(String(res.status));
        } catch {
          outcomes.push('dropped');
        }
      }
      const counts = twilio.randomFaults.counts;
      assert.equal(outcomes.filter((o) => o === '429').length, counts.rate_limited);
      assert.equal(outcomes.filter((o) => o === '503').length, counts.server_error);
      assert.equal(outcomes.filter((o) => o === 'dropped').length, counts.no_answer + counts.answer_lost);
      assert.equal(twilio.conversations.size, counts.answer_lost, 'only lost answers created');
    } finally {
      await twilio.stop();
    }
  });

  it("loses a share of Twilio's webhooks", async () => {
    const received: string[] = [];
    const server = http.createServer((req, res) => {
      received.push(req.url ?? '');
      res.end();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const twilio = await new FakeTwilio().start();
    try {
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
      const auth = Buffer.from(`${twilio.accountSid}:${twilio.authToken}`).toString('base64');
      const post = (path: string, form: Record<string, string>) =>
        fetch(`${twilio.url}/conversations/v1${path}`, {
          method: 'POST',
          headers: { authorization: `Basic ${auth}`, 'content-type': 'application/x-www-form-urlencoded' },
          body: new URLSearchParams(form).toString(),
        }).then((r) => r.json() as Promise<{ sid: string }>);
      const { sid } = await post('/Conversations', { FriendlyName: 'drops' });
      await post(`/Conversations/${sid}/Webhooks`, {
        Target: 'webhook',
        'Configuration.Url': url,
        'Configuration.Method': 'POST',
        'Configuration.Filters': 'onMessageAdded',
      });
      await post(`/Conversations/${sid}/Participants`, { Identity: 'agent' });
      twilio.dropWebhookShare(0.5, 11);
      for (let i = 0; i < 100; i++) await twilio.agentReplies(sid, `reply ${i}`, 'agent');
      await twilio.settle();
      const dropped = twilio.deliveries.filter((d) => d.outcome === 'dropped').length;
      assert.equal(received.length + dropped, 100);
      assert.ok(dropped > 30 && dropped < 70, `${dropped} of 100 dropped, not about half`);
    } finally {
      await twilio.stop();
      server.close();
    }
  });
});
