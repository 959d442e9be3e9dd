import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { InteractionResponseType } from 'discord-api-types/v10';
import { type FakeInteraction, type FakeMessage } from './discord';
import { type RunningSandbox, startSandbox } from './run-sandbox';

/*
 * `flexcord sandbox demo`: one support story played through the real roles in a fresh sandbox of its own
 * (temporary folder, free ports, so it runs beside an open `npm start`). Every step acts the way the playground
 * does (gateway dispatches as the member and staff, Flex's own actions as the agent) and waits for what a person
 * would see.
 */

export interface DemoOptions {
  out: (line: string) => void;
  verbose?: boolean;
  /** How long one step may take before it counts as failed. */
  stepTimeoutMs?: number;
}

class StepFailed extends Error {}

/** Plays the story; resolves true when every step passed. Never throws: a failure is reported as its step. */
export async function playDemo(options: DemoOptions): Promise<boolean> {
  const { out } = options;
  const timeout = options.stepTimeoutMs ?? 60_000;
  const started = Date.now();
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'flexcord-demo-'));
  let sandbox: RunningSandbox | undefined;
  let current = 'start the sandbox';
  let steps = 0;

  const step = async <T>(name: string, run: () => Promise<[T, string]>): Promise<T> => {
    current = name;
    const t0 = Date.now();
    const [value, detail] = await run();
    steps += 1;
    const took = ((Date.now() - t0) / 1000).toFixed(1).padStart(5);
    const at = ((Date.now() - started) / 1000).toFixed(1).padStart(5);
    out(`  ✓ ${at}s (${took}s)  ${name}${detail ? `: ${detail}` : ''}`);
    return value;
  };
  const until = <T>(
    what: string,
    find: () => T | undefined | false | Promise<T | undefined | false>,
  ): Promise<T> => waitUntil(what, find, timeout);

  out('flexcord sandbox demo: a support story through the real worker, bot and webhooks roles');
  out('   at      took');
  try {
    sandbox = await step('start the sandbox', async () => {
      const s = await startSandbox({
        env: {
          ...process.env,
          FLEXCORD_DATA_DIR: dataDir,
          HTTP_PORT: String(await freePort()),
          TEMPORAL_DEV_PORT: String(await freePort()),
          TEMPORAL_DEV_UI_PORT: String(await freePort()),
        },
        logLevel: options.verbose ? 'info' : 'error',
      });
      return [
        s,
        `Temporal dev server, worker, bot and webhooks up; Discord server "${s.world.cast.guildName}"`,
      ];
    });
    const s = sandbox;
    const { discord, twilio, cast } = s.world;
    const member = cast.memberId;
    const channel = (name: string) => {
      const found = discord.channelByName(cast.guildId, name);
      if (!found) throw new StepFailed(`no #${name} channel (setup-channels should have made it)`);
      return found.id;
    };
    const dm = s.actions.dmChannel(member);
    const botSaysAfter = (channelId: string, after: string, test: (m: FakeMessage) => boolean) =>
      discord
        .messagesIn(channelId)
        .find((m) => m.author.id === discord.botUser.id && BigInt(m.id) > BigInt(after) && test(m));
    const reply = (i: FakeInteraction) =>
      until('the bot to answer', () => {
        const text = interactionText(i);
        return i.callback && i.callback.type !== InteractionResponseType.DeferredChannelMessageWithSource
          ? text || ' '
          : i.original
            ? text
            : undefined;
      });

    await step('/helpme in #support', async () => {
      const i = s.actions.runCommand(member, channel(s.config.discord.supportChannelName), 'helpme');
      return [undefined, quote(await reply(i))];
    });

    const question = 'The game crashes on startup, what can I do?';
    const answer = await step(
      'the member asks in their DM; the bot answers from the knowledge base',
      async () => {
        const sent = s.actions.sendMessage(member, dm, question);
        // The bot's answer to the question, whatever it is: a wrong answer fails the step at once.
        const m = await until("the bot's answer", () => botSaysAfter(dm, sent.id, () => true));
        if ((m.embeds?.length ?? 0) === 0 || buttonId(m, /request_human/) === undefined)
          throw new StepFailed(`the answer has no knowledge-base article: ${quote(text(m))}`);
        return [
          m,
          `"${question}" → ${m.embeds
            .map((e) => e.title)
            .filter(Boolean)
            .slice(0, 2)
            .join('; ')}`,
        ];
      },
    );

    const caseNumber = await step('"Talk to a human"', async () => {
      const i = s.actions.pressButton(member, dm, answer.id, buttonId(answer, /request_human/)!);
      await reply(i);
      const m = await until('"Case #N opened"', () =>
        botSaysAfter(dm, answer.id, (x) => /Case #\d+ opened/.test(text(x))),
      );
      const n = Number(/Case #(\d+)/.exec(text(m))![1]);
      return [n, `case #${n} opened`];
    });

    const task = await step('Flex gets a task for the case', async () => {
      const t = await until('a TaskRouter task with the case number', () =>
        [...twilio.tasks.values()].find((x) => x.attributes.caseNumber === caseNumber),
      );
      return [t, `task ${t.sid.slice(0, 8)}…, summary "${String(t.attributes.summary ?? '')}"`];
    });
    const conversationSid = String(task.attributes.conversationSid);
    const alice = cast.agents[0]!;

    const joined = await step(`agent ${alice.name} accepts`, async () => {
      await s.actions.accept(conversationSid, alice.identity);
      const m = await until('the member to hear who joined', () =>
        botSaysAfter(dm, answer.id, (x) => /joined/.test(text(x))),
      );
      return [m, quote(text(m))];
    });

    const agentText = 'Hi! Could you send me your crash log? It is in Settings → Help → Export log.';
    await step('the agent replies; the member reads it in Discord', async () => {
      await s.actions.reply(conversationSid, alice.identity, agentText);
      await until('the reply in the DM', () =>
        botSaysAfter(dm, joined.id, (x) => text(x).includes('crash log')),
      );
      return [undefined, quote(agentText)];
    });

    await step('the member replies with a file; the agent gets it', async () => {
      s.actions.sendMessage(member, dm, 'Here it is.', [
        {
          filename: 'crash-log.txt',
          contentType: 'text/plain',
          content: Buffer.from('E/Starfall: GPU driver lost\n'),
        },
      ]);
      // The text, then the file as Twilio media the agent opens in Flex.
      const file = await until('the file in the Flex conversation', () =>
        twilio
          .conversation(conversationSid)
          .messages.filter((x) => x.author.startsWith('discord'))
          .flatMap((x) => twilio.mediaOf(x.sid))
          .find((f) => f.filename === 'crash-log.txt'),
      );
      const text = await until('the text in the Flex conversation', () =>
        twilio.conversation(conversationSid).messages.find((x) => x.body === 'Here it is.'),
      );
      return [undefined, `${quote(text.body ?? '')} + ${file.filename} (${file.content.length} bytes)`];
    });

    await step('the agent ends the chat and completes the task', async () => {
      const before = discord.messagesIn(dm).at(-1)!.id;
      await s.actions.endChat(conversationSid);
      await s.actions.complete(task.sid);
      const m = await until('the close notice', () =>
        botSaysAfter(dm, before, (x) => /\/helpme/.test(text(x))),
      );
      return [undefined, quote(text(m))];
    });

    await step('the member rates 5/5', async () => {
      const prompt = await until('the rating prompt', () =>
        botSaysAfter(dm, joined.id, (x) => buttonId(x, /rating:5/) !== undefined),
      );
      const i = s.actions.pressButton(member, dm, prompt.id, buttonId(prompt, /rating:5/)!);
      const answerText = await reply(i);
      const detail = await until('the rating on the case', async () => {
        const c = await s.cases.show(caseNumber);
        return c.rating === 5 && c.status === 'closed' ? c : undefined;
      });
      return [undefined, `${quote(answerText)}; case #${detail.number} closed with rating ${detail.rating}`];
    });

    const bugChannel = channel(s.config.discord.channels.bugReports);
    const bugCase = await step('/bug in #bug-reports, with its form', async () => {
      const cmd = s.actions.runCommand(member, bugChannel, 'bug');
      const modal = await until('the bug form', () =>
        cmd.callback?.type === InteractionResponseType.Modal
          ? (cmd.callback.data as { custom_id: string })
          : undefined,
      );
      const submit = s.actions.submitModal(member, bugChannel, modal.custom_id, {
        title: 'Shop button does nothing',
        what_happened: 'Tapping the shop button on the lobby screen does nothing.',
        steps: 'Open the game, tap Shop.',
        expected: 'The shop opens.',
        platform: 'Android 14, game 12.0.3',
      });
      const confirmation = await reply(submit);
      const n = Number(/case #(\d+)/.exec(confirmation)?.[1]);
      if (!n) throw new StepFailed(`no case number in the confirmation: ${quote(confirmation)}`);
      return [n, quote(confirmation)];
    });

    await step('staff triage the report; the reporter gets a DM', async () => {
      const before = discord.messagesIn(dm).at(-1)!.id;
      const note = 'We can reproduce it and are working on a fix.';
      const i = s.actions.runCommand(cast.staffId, bugChannel, 'case', { number: bugCase, note }, 'triage');
      const staffSees = await reply(i);
      const m = await until("the reporter's DM", () =>
        botSaysAfter(dm, before, (x) => /triaged/.test(text(x))),
      );
      return [undefined, `staff: ${quote(staffSees)}; ana: ${quote(text(m))}`];
    });

    await step('an official feed item is posted to #announcements', async () => {
      const announcements = channel(s.config.discord.channels.announcements);
      const title = 'Patch 12.0.4: shop button fixed';
      await s.actions.publishFeedItem(title, 'The shop opens again on every device.');
      const m = await until('the announcement', () =>
        discord.messagesIn(announcements).find((x) => text(x).includes(title)),
      );
      return [undefined, `"${title}"${(m.flags ?? 0) & 2 ? ' (crossposted)' : ''}`];
    });

    await step("every request matched Discord's and Twilio's OpenAPI specs", async () => {
      await twilio.settle();
      const problems = [
        ...discord.checker.violations.map((v) => `Discord ${v.operation}: ${v.errors.join(', ')}`),
        ...twilio.specViolations.map((v) => `Twilio ${v}`),
      ];
      if (problems.length > 0) throw new StepFailed(problems.slice(0, 5).join('\n'));
      return [
        undefined,
        `${discord.requestLog.length} Discord and ${twilio.requests.length} Twilio requests checked`,
      ];
    });

    out(`demo passed: ${steps} steps in ${((Date.now() - started) / 1000).toFixed(1)}s`);
    return true;
  } catch (err) {
    out(`  ✗ ${current}: ${(err as Error).message}`);
    out(`demo failed at step "${current}"`);
    return false;
  } finally {
    await sandbox?.stop().catch((err: unknown) => out(`(stopping the sandbox: ${(err as Error).message})`));
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

function text(m: FakeMessage): string {
  return [
    m.content ?? '',
    ...(m.embeds ?? []).flatMap((e) => [e.author?.name ?? '', e.title ?? '', e.description ?? '']),
  ]
    .filter(Boolean)
    .join(' ');
}

function interactionText(i: FakeInteraction): string {
  const m = i.original ?? (i.callback?.data as FakeMessage | undefined);
  return m && 'content' in m ? text(m) : '';
}

function buttonId(m: FakeMessage, pattern: RegExp): string | undefined {
  let found: string | undefined;
  const visit = (c: unknown) => {
    const rec = c as { custom_id?: string; components?: unknown[] } | null;
    if (!rec || typeof rec !== 'object') return;
    if (rec.custom_id && pattern.test(rec.custom_id)) found ??= rec.custom_id;
    rec.components?.forEach(visit);
  };
  (m.components ?? []).forEach(visit);
  return found;
}

function quote(s: string): string {
  const one = s.replace(/\s+/g, ' ').trim();
  return `"${one.length > 90 ? `${one.slice(0, 89)}…` : one}"`;
}

async function waitUntil<T>(
  what: string,
  find: () => T | undefined | false | Promise<T | undefined | false>,
  timeoutMs: number,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      const value = await find();
      if (value !== undefined && value !== false) return value;
    } catch (err) {
      if (err instanceof StepFailed) throw err;
      lastError = err;
    }
    if (Date.now() > deadline) {
      const why = lastError ? ` (last error: ${(lastError as Error).message})` : '';
      throw new StepFailed(`waited ${timeoutMs / 1000}s for ${what}${why}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}
