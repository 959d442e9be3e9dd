import path from 'node:path';
import express, { type NextFunction, type Request, type Response, type Router } from 'express';
import { z } from 'zod';
import { projectRoot } from '../../app/paths';
import { SandboxActionError, type SandboxActions } from '../actions';
import { type AttachmentStore, type Upload } from '../attachments';
import { type StaffApi } from '../staff-api';
import { type SandboxWorld } from '../world';
import { buildState, type PlaygroundState, type StaffReads } from './view-model';
import { feedXml } from './feed-xml';

export const PLAYGROUND_STATIC_DIR = path.join(projectRoot(), 'src', 'sandbox', 'playground', 'public');

export interface PlaygroundOptions {
  world: SandboxWorld;
  actions: SandboxActions;
  attachments: AttachmentStore;
  ui: { url: string; namespace: string };
  /** What staff read and do: flexcord's own API, with the sandbox's token. */
  staff: StaffApi;
}

const upload = z.object({
  filename: z.string().min(1).max(200),
  contentType: z.string().min(1).max(200).default('application/octet-stream'),
  /** The file's bytes, base64 (the page reads files with FileReader). */
  data: z.string().max(11_000_000),
});
const files = z.array(upload).max(5).default([]);
const id = z.string().regex(/^\d+$/);
const sid = z.string().regex(/^[A-Z]{2}[0-9a-f]{32}$/);
/** The languages the page offers; Discord's codes (flexcord speaks English, Spanish and Romanian). */
export const PLAYGROUND_LOCALES = ['en-US', 'es-ES', 'ro'] as const;
/** The periods the staff view's statistics offer, as `flexcord stats --since` takes them. */
const STATS_PERIODS = ['1h', '24h', '7d', '30d', '90d'] as const;

const schemas = {
  message: z.object({
    userId: id,
    channelId: id.optional(),
    dm: z.boolean().default(false),
    text: z.string().max(2000).default(''),
    files,
  }),
  command: z.object({
    userId: id,
    channelId: id,
    name: z.string().min(1).max(32),
    subcommand: z.string().max(32).optional(),
    options: z.record(z.string(), z.union([z.string().max(1000), z.number(), z.boolean()])).default({}),
  }),
  modal: z.object({
    userId: id,
    channelId: id,
    customId: z.string().min(1).max(100),
    fields: z.record(z.string(), z.string().max(4000)),
  }),
  button: z.object({ userId: id, channelId: id, messageId: id, customId: z.string().min(1).max(100) }),
  edit: z.object({ userId: id, channelId: id, messageId: id, text: z.string().max(2000) }),
  delete: z.object({ userId: id, channelId: id, messageId: id }),
  locale: z.object({ userId: id, locale: z.enum(PLAYGROUND_LOCALES) }),
  accept: z.object({ conversationSid: sid, agent: z.string().min(1) }),
  reply: z.object({
    conversationSid: sid,
    agent: z.string().min(1),
    text: z.string().max(1600).default(''),
    files,
  }),
  agentEdit: z.object({
    conversationSid: sid,
    agent: z.string().min(1),
    messageSid: sid,
    text: z.string().max(1600),
  }),
  agentRemove: z.object({ conversationSid: sid, agent: z.string().min(1), messageSid: sid }),
  conversation: z.object({ conversationSid: sid }),
  task: z.object({ taskSid: sid }),
  feed: z.object({ title: z.string().min(1).max(200), description: z.string().max(1000).default('') }),
  note: z.object({ caseNumber: z.number().int().positive(), note: z.string().max(4000) }),
  block: z.object({
    userId: id,
    reason: z.string().max(500),
    days: z.number().int().min(1).max(3650).optional(),
  }),
  unblock: z.object({ userId: id }),
  stats: z.object({ since: z.enum(STATS_PERIODS).default('30d') }),
  caseNumber: z.object({ number: z.coerce.number().int().positive() }),
};

function uploads(list: z.infer<typeof files>): Upload[] {
  return list.map((f) => ({
    filename: f.filename,
    contentType: f.contentType,
    content: Buffer.from(f.data, 'base64'),
  }));
}

/**
 * The playground at `/sandbox`: the page (plain HTML, CSS and JavaScript), its state as JSON and as server-sent
 * events, and one POST per thing a person can do. Every POST goes to `SandboxActions`, which acts through the fakes'
 * protocols; the page never reaches a workflow.
 */
export function playgroundRouter(options: PlaygroundOptions): { router: Router; close(): void } {
  const { world, actions, attachments, staff } = options;
  /** Staff act in the playground as the sandbox's staff member (the API records them as `api:<name>`). */
  const staffName = () => world.discord.users.get(world.cast.staffId)?.username ?? 'staff';
  const router = express.Router();
  const sseClients = new Set<Response>();

  const state = async (): Promise<PlaygroundState> => {
    const [cases, blocks] = await Promise.allSettled([staff.listCases(), staff.listBlocks()]);
    const reads: StaffReads = {
      cases: cases.status === 'fulfilled' ? cases.value : [],
      blocks: blocks.status === 'fulfilled' ? blocks.value : [],
      ...(cases.status === 'rejected' ? { casesError: (cases.reason as Error).message } : {}),
      ...(blocks.status === 'rejected' ? { blocksError: (blocks.reason as Error).message } : {}),
    };
    return buildState(world, options.ui, reads);
  };

  // Pushes the state to every open page whenever the fakes changed, and at least every 5 s (case updates that
  // touched no fake, such as a rating stored on a case, show up then).
  let lastRevision = '';
  let lastPush = 0;
  /** After an action: push at the next tick even if no fake changed (a block or a note lives in flexcord's store). */
  const pushSoon = () => (lastRevision = '');
  let pushing = false;
  const timer = setInterval(() => {
    if (pushing || sseClients.size === 0) return;
    const revision = world.revision();
    if (revision === lastRevision && lastRevision !== '' && Date.now() - lastPush < 5000) return;
    pushing = true;
    lastRevision = revision;
    lastPush = Date.now();
    state()
      .then((s) => {
        const frame = `event: state\ndata: ${JSON.stringify(s)}\n\n`;
        for (const client of sseClients) client.write(frame);
      })
      .catch(() => undefined)
      .finally(() => (pushing = false));
  }, 200);
  timer.unref();

  router.get('/', (_req, res) => res.sendFile(path.join(PLAYGROUND_STATIC_DIR, 'index.html')));
  router.use('/static', express.static(PLAYGROUND_STATIC_DIR, { index: false, maxAge: 0 }));

  router.get('/feed.xml', (_req, res) => {
    res.type('application/rss+xml').send(feedXml(world.cast.guildName, world.feedItems));
  });

  router.get('/cdn/attachments/:channelId/:id/:name', (req, res) => {
    const file = attachments.file(
      String(req.params.channelId),
      String(req.params.id),
      String(req.params.name),
    );
    if (!file) return void res.status(404).json({ error: 'not_found' });
    res.sendFile(file);
  });

  router.get('/api/state', async (_req, res) => {
    res.json(await state());
  });

  router.get('/api/events', async (req, res) => {
    res.set({ 'content-type': 'text/event-stream', 'cache-control': 'no-store', connection: 'keep-alive' });
    res.flushHeaders();
    res.write(`event: state\ndata: ${JSON.stringify(await state())}\n\n`);
    sseClients.add(res);
    const ping = setInterval(() => res.write(': ping\n\n'), 15_000);
    req.on('close', () => {
      clearInterval(ping);
      sseClients.delete(res);
    });
  });

  // Agents see files in their own desk (Flex shows media to the agent directly).
  router.get('/api/agent/media/:sid', (req, res) => {
    const media = world.twilio.mediaStore.media.get(String(req.params.sid));
    if (!media) return void res.status(404).json({ error: 'not_found' });
    res
      .type(media.contentType)
      .set('content-disposition', `inline; filename="${media.filename.replace(/"/g, '')}"`);
    res.send(media.content);
  });

  const post = <S extends z.ZodType>(route: string, schema: S, handle: (body: z.infer<S>) => unknown) => {
    router.post(
      route,
      express.json({ limit: '16mb' }),
      async (req: Request, res: Response, next: NextFunction) => {
        const parsed = schema.safeParse(req.body);
        if (!parsed.success) {
          return void res
            .status(400)
            .json({ error: parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ') });
        }
        try {
          res.json({ ok: true, ...((await handle(parsed.data)) as object | undefined) });
          pushSoon();
        } catch (err) {
          if (
            err instanceof SandboxActionError ||
            (err instanceof Error && /^no |not handed|no agent/.test(err.message))
          )
            return void res.status(409).json({ error: err.message });
          next(err);
        }
      },
    );
  };

  post('/api/member/message', schemas.message, (b) => {
    const channelId = b.dm || !b.channelId ? actions.dmChannel(b.userId) : b.channelId;
    const message = actions.sendMessage(b.userId, channelId, b.text, uploads(b.files));
    return { messageId: message.id, channelId };
  });
  post('/api/member/command', schemas.command, (b) => {
    const interaction = actions.runCommand(b.userId, b.channelId, b.name, b.options, b.subcommand);
    return { interactionId: interaction.id };
  });
  post('/api/member/modal', schemas.modal, (b) => {
    const interaction = actions.submitModal(b.userId, b.channelId, b.customId, b.fields);
    return { interactionId: interaction.id };
  });
  post('/api/member/button', schemas.button, (b) => {
    const interaction = actions.pressButton(b.userId, b.channelId, b.messageId, b.customId);
    return { interactionId: interaction.id };
  });
  post('/api/member/edit', schemas.edit, (b) => {
    actions.editMessage(b.userId, b.channelId, b.messageId, b.text);
  });
  post('/api/member/delete', schemas.delete, (b) => {
    actions.deleteMessage(b.userId, b.channelId, b.messageId);
  });
  post('/api/member/locale', schemas.locale, (b) => actions.setLocale(b.userId, b.locale));
  post('/api/agent/accept', schemas.accept, (b) => actions.accept(b.conversationSid, b.agent));
  post('/api/agent/reply', schemas.reply, async (b) => {
    await actions.reply(b.conversationSid, b.agent, b.text, uploads(b.files));
  });
  post('/api/agent/edit', schemas.agentEdit, (b) =>
    actions.editReply(b.conversationSid, b.agent, b.messageSid, b.text),
  );
  post('/api/agent/remove', schemas.agentRemove, (b) =>
    actions.removeReply(b.conversationSid, b.agent, b.messageSid),
  );
  post('/api/agent/transfer', schemas.conversation, (b) => actions.transfer(b.conversationSid));
  post('/api/agent/end', schemas.conversation, (b) => actions.endChat(b.conversationSid));
  post('/api/agent/complete', schemas.task, (b) => actions.complete(b.taskSid));
  post('/api/feed/publish', schemas.feed, (b) => actions.publishFeedItem(b.title, b.description));

  // ---- staff, through flexcord's API ----

  const read = (route: string, handle: (req: Request) => Promise<unknown>) => {
    router.get(route, async (req: Request, res: Response, next: NextFunction) => {
      try {
        res.json(await handle(req));
      } catch (err) {
        if (err instanceof z.ZodError)
          return void res.status(400).json({ error: err.issues.map((i) => i.message).join('; ') });
        if (err instanceof SandboxActionError) return void res.status(409).json({ error: err.message });
        next(err);
      }
    });
  };
  // One case with its staff notes (`GET /api/cases/:number`); the list in the state has no notes.
  read('/api/staff/cases/:number', async (req) => ({
    case: await staff.showCase(schemas.caseNumber.parse(req.params).number),
  }));
  // Support analytics for the sandbox's server (`GET /api/stats`), over the period the page picked.
  read('/api/staff/stats', async (req) =>
    staff.stats({ guild: world.cast.guildId, since: schemas.stats.parse(req.query).since }),
  );
  post('/api/staff/note', schemas.note, (b) => staff.addNote(b.caseNumber, b.note, staffName()));
  post('/api/staff/block', schemas.block, async (b) => ({
    block: await staff.block(
      { guild: world.cast.guildId, user: b.userId, reason: b.reason, ...(b.days ? { days: b.days } : {}) },
      staffName(),
    ),
  }));
  post('/api/staff/unblock', schemas.unblock, (b) => staff.unblock(world.cast.guildId, b.userId));

  return {
    router,
    close() {
      clearInterval(timer);
      for (const client of sseClients) client.end();
      sseClients.clear();
    },
  };
}
