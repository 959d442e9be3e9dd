import { type ChildProcess, spawn } from 'node:child_process';
import http from 'node:http';
import { type AddressInfo } from 'node:net';
import path from 'node:path';
import autocannon from 'autocannon';
import { FakeDiscord } from '../src/sandbox/discord';
import { FakeTwilio } from '../src/sandbox/twilio/fake-twilio';
import { endContext, markdownTable, runContext, writeResults } from './system/report';

/*
 * `npm run bench -- fakes`: the Discord and Twilio fakes alone, driven as hard as they go, so the other benchmarks
 * can show the fakes were not their bottleneck. Each path the benchmarks use is measured for a few seconds:
 * REST posts to Discord and to Twilio (autocannon, 20 connections, in its own event loop), gateway dispatches to a
 * discord.js client in another process, and signed webhooks from the Twilio fake to a bare HTTP endpoint. The
 * headroom is each capacity divided by what the heaviest benchmark step needs of that path (relay at 200 msg/s:
 * 100 Discord posts, 100 Twilio posts, 100 gateway messages and 100 webhooks per second).
 */
const SECONDS = Number(process.env.BENCH_SECONDS ?? 8);
const NEED_PER_SECOND = 100;

async function main() {
  const context = runContext();
  const rows: { path: string; perSecond: number; p99Ms?: number }[] = [];
  const discord = await new FakeDiscord({ rateLimits: [], globalRateLimit: false }).start();
  const twilio = await new FakeTwilio().start();
  try {
    // Discord REST: posts spread over 200 DM channels.
    const channels = Array.from(
      { length: 200 },
      (_, i) => discord.dmChannelFor(discord.addUser(`u${i}`).id).id,
    );
    let n = 0;
    const discordPosts = await autocannon({
      url: discord.url,
      connections: 20,
      duration: SECONDS,
      requests: [
        {
          setupRequest: () => ({
            method: 'POST',
            path: `/api/v10/channels/${channels[n++ % channels.length]}/messages`,
            headers: { authorization: `Bot ${discord.token}`, 'content-type': 'application/json' },
            body: JSON.stringify({ content: `benchmark post ${n}`, allowed_mentions: { parse: [] } }),
          }),
        },
      ],
    });
    rows.push({
      path: 'Discord REST: POST /channels/:id/messages',
      perSecond: discordPosts.requests.average,
      p99Ms: discordPosts.latency.p99,
    });

    // Twilio REST: messages into 200 conversations.
    const auth = `Basic ${Buffer.from(`${twilio.accountSid}:${twilio.authToken}`).toString('base64')}`;
    const sids: string[] = [];
    for (let i = 0; i < 200; i++) {
      const res = await fetch(`${twilio.url}/conversations/v1/Conversations`, {
        method: 'POST',
        headers: { authorization: auth, 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ FriendlyName: `c${i}` }).toString(),
      });
      sids.push(((await res.json()) as { sid: string }).sid);
    }
    const twilioPosts = await autocannon({
      url: twilio.url,
      connections: 20,
      duration: SECONDS,
      requests: [
        {
          setupRequest: () => ({
            method: 'POST',
            path: `/conversations/v1/Conversations/${sids[n++ % sids.length]}/Messages`,
            headers: { authorization: auth, 'content-type': 'application/x-www-form-urlencoded' },
            body: new URLSearchParams({ Author: 'discord:bench', Body: `benchmark message ${n}` }).toString(),
          }),
        },
      ],
    });
    rows.push({
      path: 'Twilio REST: POST /Conversations/:sid/Messages',
      perSecond: twilioPosts.requests.average,
      p99Ms: twilioPosts.latency.p99,
    });

    // Gateway: users write as fast as the fake dispatches; a discord.js client in another process counts them.
    const counter = spawn(
      process.execPath,
      ['--import', 'tsx', path.join(__dirname, 'support', 'gateway-counter.ts')],
      {
        env: { ...process.env, DISCORD_API_URL: discord.apiUrl, DISCORD_TOKEN: discord.token },
        stdio: ['pipe', 'pipe', 'inherit'],
      },
    );
    try {
      await lineFrom(counter, /gateway counter ready/);
      const users = [...discord.users.values()].filter((u) => !u.bot).map((u) => u.id);
      const start = Date.now();
      let sent = 0;
      while (Date.now() - start < SECONDS * 1000) {
        for (let i = 0; i < 50; i++)
          discord.userSendsDm(users[sent++ % users.length]!, `gateway message ${sent}`);
        await new Promise((r) => setImmediate(r));
      }
      await new Promise((r) => setTimeout(r, 2000));
      counter.stdin!.write('count\n');
      const received = Number((await lineFrom(counter, /COUNT (\d+)/))[1]);
      rows.push({
        path: 'Discord gateway: MESSAGE_CREATE to a discord.js client',
        perSecond: Math.min(sent, received) / SECONDS,
      });
    } finally {
      counter.kill('SIGTERM');
    }

    // Webhooks: the Twilio fake signs and posts onMessageAdded to a bare endpoint, as fast as it can.
    const endpoint = http.createServer((req, res) => {
      req.resume();
      req.on('end', () => res.end());
    });
    await new Promise<void>((resolve) => endpoint.listen(0, '127.0.0.1', resolve));
    try {
      const url = `http://127.0.0.1:${(endpoint.address() as AddressInfo).port}/hook`;
      for (const sid of sids.slice(0, 20)) {
        await fetch(`${twilio.url}/conversations/v1/Conversations/${sid}/Webhooks`, {
          method: 'POST',
          headers: { authorization: auth, 'content-type': 'application/x-www-form-urlencoded' },
          body: new URLSearchParams({
            Target: 'webhook',
            'Configuration.Url': url,
            'Configuration.Method': 'POST',
            'Configuration.Filters': 'onMessageAdded',
          }).toString(),
        });
        await fetch(`${twilio.url}/conversations/v1/Conversations/${sid}/Participants`, {
          method: 'POST',
          headers: { authorization: auth, 'content-type': 'application/x-www-form-urlencoded' },
          body: new URLSearchParams({ Identity: 'agent' }).toString(),
        });
      }
      const start = Date.now();
      let delivered = 0;
      const inFlight = new Set<Promise<unknown>>();
      while (Date.now() - start < SECONDS * 1000) {
        while (inFlight.size < 50) {
          const p = twilio.agentReplies(sids[delivered++ % 20]!, `webhook ${delivered}`, 'agent');
          inFlight.add(p);
          void p.finally(() => inFlight.delete(p));
        }
        await Promise.race(inFlight);
      }
      await Promise.all(inFlight);
      rows.push({
        path: 'Twilio webhooks: signed onMessageAdded to an endpoint',
        perSecond: delivered / ((Date.now() - start) / 1000),
      });
    } finally {
      endpoint.close();
    }
  } finally {
    await twilio.stop();
    await discord.stop();
  }
  const markdown = [
    `The fakes alone (${String(context.date)}, load average at start ${(context.loadAverageAtStart as number[]).join(' ')}), ` +
      `${SECONDS} s per path; headroom against the heaviest benchmark step (${NEED_PER_SECOND}/s on each path).`,
    '',
    markdownTable(
      ['path', 'capacity (per second)', 'p99 at capacity', 'headroom'],
      rows.map((r) => [
        r.path,
        r.perSecond.toFixed(0),
        r.p99Ms === undefined ? '' : `${r.p99Ms} ms`,
        `${(r.perSecond / NEED_PER_SECOND).toFixed(1)}×`,
      ]),
    ),
  ].join('\n');
  const files = await writeResults(
    'fakes',
    { context: { ...context, ...endContext() }, seconds: SECONDS, rows },
    markdown,
  );
  console.log(`\n${markdown}\n\n${files.join('\n')}`);
}

function lineFrom(child: ChildProcess, pattern: RegExp): Promise<RegExpExecArray> {
  return new Promise((resolve, reject) => {
    let buffer = '';
    const onData = (chunk: Buffer) => {
      buffer += chunk.toString();
      const m = pattern.exec(buffer);
      if (m) {
        child.stdout!.off('data', onData);
        resolve(m);
      }
    };
    child.stdout!.on('data', onData);
    child.once('exit', (code) => reject(new Error(`exited (${code}) before ${pattern}`)));
  });
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
