import { type Server } from 'node:http';
import { type AddressInfo } from 'node:net';
import express, { type Request, type Response } from 'express';
import { FaultQueue, type Fault } from './faults';
import { type RandomFaultKind, type RandomFaults } from '../random-faults';
import {
  DIRECT_CONTENT_PRODUCT,
  MCS_PRODUCT,
  MediaStore,
  type MediaUpload,
  type StoredMedia,
} from './media-store';
import {
  channelInviteJson,
  channelParticipantJson,
  conversationJson,
  durationMs,
  interactionChannelJson,
  interactionJson,
  LIVE_TASK_STATUSES,
  routingJson,
  messageJson,
  participantConversationJson,
  participantJson,
  ROLE_PARTICIPANT,
  taskJson,
  workflowCumulativeStatisticsJson,
  webhookJson,
  type ChannelParticipant,
  type Conversation,
  type Interaction,
  type InteractionChannel,
  type Message,
  type Participant,
  type Task,
} from './model';
import { newSid, twilioError } from './sids';
import {
  conversationsServiceJson,
  flexTaskChannels,
  type TaskChannel,
  taskChannelJson,
  workflowJson,
  workspaceJson,
} from './account-resources';
import { TwilioSpecs, type Product } from './spec-check';
import { WebhookSender, type Delivery } from './webhook-sender';

export interface FakeTwilioOptions {
  accountSid?: string;
  authToken?: string;
  /** Also accepted as credentials, like a Twilio API key and secret. */
  apiKey?: { sid: string; secret: string };
  /** The workspace's Event Callback URL (TaskRouter events); unset means TaskRouter sends none. */
  taskrouterCallbackUrl?: string;
  /** How many fetches an interaction channel stays in `setup` before becoming active. */
  interactionSetupFetches?: number;
  /** Fixed SIDs, so a sandbox restored from disk keeps the ones its workflows and config name. */
  serviceSid?: string;
  workspaceSid?: string;
  workflowSid?: string;
}

/** The fault a random failure becomes at the Twilio fake. */
const RANDOM_FAULTS: Record<RandomFaultKind, Fault> = {
  rate_limited: { status: 429, retryAfterSeconds: 1 },
  server_error: { status: 503 },
  no_answer: { dropRequest: true },
  answer_lost: { dropAnswer: true },
};

interface Call {
  params: Record<string, string>;
  /** `/v1`, or `/v1/Services/{IS}` for a service-scoped Conversations call: the base of the lists' page links. */
  scope: string;
  query: Record<string, unknown>;
  form: Record<string, unknown>;
  webhooksEnabled: boolean;
}
type Answer = { status?: number; body?: unknown };
type Handler = (call: Call) => Answer;

export interface RecordedRequest {
  method: string;
  product: string;
  path: string;
  query: Record<string, unknown>;
  form: Record<string, unknown>;
  status: number;
  /** When the answer was sent (ms since epoch). */
  at: number;
  /** The request was carried out but its answer never reached the caller (a `dropAnswer` fault). */
  answerLost?: true;
}

class FakeError extends Error {
  constructor(
    readonly status: number,
    readonly code: number,
    message: string,
  ) {
    super(message);
  }
}

/**
 * A local Twilio for tests and the offline sandbox: Conversations, Flex Interactions and TaskRouter tasks with
 * real state, Twilio-shaped JSON and errors, signed webhooks, an agent you can drive, and injectable faults.
 * Every request and answer is checked against Twilio's OpenAPI specs; problems collect in `specViolations`.
 */
export class FakeTwilio {
  readonly accountSid: string;
  readonly authToken: string;
  readonly serviceSid: string;
  readonly workspaceSid: string;
  readonly workflowSid: string;
  readonly faults = new FaultQueue();
  /** When set, a share of REST requests fails at random (429, 5xx, no answer, answer lost): the chaos suite's. */
  randomFaults?: RandomFaults;
  readonly requests: RecordedRequest[] = [];
  readonly specViolations: string[] = [];
  readonly conversations = new Map<string, Conversation>();
  readonly interactions = new Map<string, Interaction>();
  readonly tasks = new Map<string, Task>();
  /** Files agents attached, served by the fake's Media Content Service. */
  readonly mediaStore = new MediaStore();
  /** The workspace's task channels (a Flex workspace's defaults); a test may remove one. */
  readonly taskChannels: TaskChannel[] = flexTaskChannels();
  private readonly webhooks: WebhookSender;
  private readonly specs = new TwilioSpecs();
  private server?: Server;
  private failNextSetup?: { code: number; message: string };

  constructor(private readonly options: FakeTwilioOptions = {}) {
    this.accountSid = options.accountSid ?? newSid('AC');
    this.authToken = options.authToken ?? newSid('').slice(0, 32);
    this.serviceSid = options.serviceSid ?? newSid('IS');
    this.workspaceSid = options.workspaceSid ?? newSid('WS');
    this.workflowSid = options.workflowSid ?? newSid('WW');
    this.webhooks = new WebhookSender(this.authToken);
  }

  get url(): string {
    if (!this.server) throw new Error('the fake Twilio is not started');
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  get deliveries(): Delivery[] {
    return this.webhooks.deliveries;
  }

  async start(): Promise<this> {
    const app = express();
    app.use(express.urlencoded({ extended: false }));
    app.use((req, res) => this.handle(req, res));
    await new Promise<void>((resolve, reject) => {
      this.server = app.listen(0, '127.0.0.1');
      this.server.once('listening', resolve).once('error', reject);
    });
    return this;
  }

  async stop(): Promise<void> {
    await this.webhooks.settle();
    const server = this.server;
    this.server = undefined;
    if (!server) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  // ---- test controls ----

  fail(fault: Fault): void {
    this.faults.add(fault);
  }

  /** The next `count` webhooks are lost. */
  dropWebhooks(count: number): void {
    this.webhooks.drop(count);
  }

  /** From now on this share of webhooks (0 to 1) is lost at random, reproducibly for a seed; 0 stops it. */
  dropWebhookShare(share: number, seed = 1): void {
    this.webhooks.dropShare(share, seed);
  }

  /** The next interaction channel Flex sets up ends in `failed` with this error. */
  failNextInteractionSetup(error = { code: 45000, message: 'Interaction channel setup failed' }): void {
    this.failNextSetup = error;
  }

  /** Waits until every webhook sent so far has been answered. */
  settle(): Promise<void> {
    return this.webhooks.settle();
  }

  conversation(sid: string): Conversation {
    const c = this.conversations.get(sid);
    if (!c) throw new Error(`no conversation ${sid}`);
    return c;
  }

  /** The conversation's newest task: after a transfer, the one the new agent is invited with. */
  taskFor(conversationSid: string): Task | undefined {
    return this.tasksFor(conversationSid).at(-1);
  }

  /** Every task of the conversation's interaction channel, oldest first. */
  tasksFor(conversationSid: string): Task[] {
    return [...this.tasks.values()].filter((t) => t.attributes.conversationSid === conversationSid);
  }

  /** The interaction channel that hands the conversation to Flex. */
  channelFor(conversationSid: string): InteractionChannel | undefined {
    return [...this.interactions.values()].find((i) => i.channel.mediaChannelSid === conversationSid)
      ?.channel;
  }

  // ---- the agent, as Flex would act for them ----

  /** An agent accepts the reservation for the conversation's task and joins the conversation. */
  async agentAccepts(
    conversationSid: string,
    agent: {
      identity: string;
      name: string;
      /** TaskRouter's worker name (default: `name`); Flex workers are often named by their login. */
      workerName?: string;
      /** False: the worker has no `contact_uri` attribute, so TaskRouter only knows them by worker name. */
      contactUri?: boolean;
    },
  ): Promise<Participant> {
    const c = this.conversation(conversationSid);
    // The newest task still waiting for an agent: after a transfer, the invited one.
    const task = this.tasksFor(conversationSid)
      .filter((t) => t.status === 'pending' || t.status === 'reserved')
      .at(-1);
    if (task) {
      task.status = 'assigned';
      task.reservationSid = newSid('WR');
      task.workerSid = newSid('WK');
      task.updatedAt = new Date();
      task.acceptedAt = task.updatedAt;
      this.channelFor(conversationSid)?.participants.push({
        sid: newSid('UT'),
        type: 'agent',
        status: 'active',
        taskSid: task.sid,
        workerSid: task.workerSid,
        reservationSid: task.reservationSid,
        identity: agent.identity,
      });
    }
    // In a warm transfer back to someone still in the chat, Flex adds no second participant.
    const existing = c.participants.find((p) => p.identity === agent.identity);
    const participant = existing ?? this.addParticipant(c, agent.identity, '{}');
    const sends = existing
      ? []
      : [this.conversationEvent(c, 'onParticipantAdded', participantAddedParams(c, participant), 'API')];
    if (task) {
      sends.push(
        this.taskrouterEvent(task, 'reservation.accepted', {
          ResourceType: 'reservation',
          ResourceSid: task.reservationSid!,
          ReservationSid: task.reservationSid!,
          WorkerSid: task.workerSid!,
          WorkerName: agent.workerName ?? agent.name,
          WorkerAttributes: JSON.stringify({
            ...(agent.contactUri === false ? {} : { contact_uri: `client:${agent.identity}` }),
            full_name: agent.name,
          }),
        }),
      );
    }
    await Promise.all(sends);
    return participant;
  }

  /**
   * The agent types a reply in Flex (an SDK action, so the conversation's webhooks fire), optionally with files:
   * stored in the fake's Media Content Service and listed in the webhook's `Media` parameter.
   */
  async agentReplies(
    conversationSid: string,
    text: string,
    identityOrOptions?: string | { identity?: string; media?: MediaUpload[] },
  ): Promise<Message> {
    const options =
      typeof identityOrOptions === 'string' ? { identity: identityOrOptions } : (identityOrOptions ?? {});
    const c = this.conversation(conversationSid);
    const author =
      options.identity ??
      [...c.participants].reverse().find((p) => !p.identity?.startsWith('discord:'))?.identity;
    if (!author) throw new Error('no agent has joined this conversation');
    const message = this.addMessage(c, author, text, '{}');
    const files = (options.media ?? []).map((upload) =>
      this.mediaStore.add(upload, {
        serviceSid: this.serviceSid,
        conversationSid: c.sid,
        messageSid: message.sid,
        author,
      }),
    );
    await this.conversationEvent(
      c,
      'onMessageAdded',
      messageAddedParams(this.serviceSid, c, message, files),
      'SDK',
      author,
    );
    return message;
  }

  /** The agent edits their message in Flex (an SDK action: onMessageUpdated fires). */
  async agentEdits(conversationSid: string, messageSid: string, text: string): Promise<Message> {
    const c = this.conversation(conversationSid);
    const m = this.messageIn(c, messageSid);
    m.body = text;
    m.updatedAt = new Date(Math.max(Date.now(), (m.updatedAt ?? m.createdAt).getTime() + 1));
    await this.conversationEvent(
      c,
      'onMessageUpdated',
      messageUpdatedParams(this.serviceSid, c, m),
      'SDK',
      m.author,
    );
    return m;
  }

  /** The agent removes their message in Flex (an SDK action: onMessageRemoved fires). */
  async agentRemoves(conversationSid: string, messageSid: string): Promise<void> {
    const c = this.conversation(conversationSid);
    const m = this.messageIn(c, messageSid);
    c.messages.splice(c.messages.indexOf(m), 1);
    await this.conversationEvent(
      c,
      'onMessageRemoved',
      { ...messageUpdatedParams(this.serviceSid, c, m), DateRemoved: new Date().toISOString() },
      'SDK',
      m.author,
    );
  }

  /** The files attached to a message. */
  mediaOf(messageSid: string): StoredMedia[] {
    return [...this.mediaStore.media.values()].filter((m) => m.messageSid === messageSid);
  }

  /**
   * The agent ends the chat in Flex: the task wraps up, the conversation closes, then the task completes. With
   * `holdWrapUp` the agent stays in wrap-up (it can last minutes in Flex) until `completeTask` ends it.
   */
  async agentCloses(conversationSid: string, options: { holdWrapUp?: boolean } = {}): Promise<void> {
    const c = this.conversation(conversationSid);
    const channel = this.channelFor(conversationSid);
    if (channel) channel.status = 'closed';
    // Closing the channel wraps up every task still live on it (after a transfer: the newest agent's).
    const live = this.tasksFor(conversationSid).filter((t) => LIVE_TASK_STATUSES.includes(t.status));
    for (const task of live) await this.setTaskStatus(task, 'wrapping', 'task.wrapup');
    await this.setConversationState(c, 'closed', true);
    if (!options.holdWrapUp) for (const task of live) await this.completeTask(task.sid);
  }

  /**
   * The agent transfers the chat the way Twilio documents it for Flex Conversations (and Flex's transfer features
   * do it): an invite on the same interaction channel creates a new task, carrying the original task's attributes
   * (Twilio does not copy them), then the agent's own channel participant leaves (`wrapup` by default: their task
   * wraps up; `closed`: it completes). Cold (default): the agent leaves before anyone accepts; warm: `to` accepts
   * first. Returns the new task.
   */
  async agentTransfers(
    conversationSid: string,
    options: {
      to?: { identity: string; name: string };
      warm?: boolean;
      leaveAs?: 'wrapup' | 'closed';
    } = {},
  ): Promise<Task> {
    const channel = this.channelFor(conversationSid);
    const current = this.taskFor(conversationSid);
    if (!channel || !current) throw new Error('this conversation was not handed to Flex');
    const leaving = channel.participants.find(
      (p) => p.type === 'agent' && p.status === 'active' && p.taskSid === current.sid,
    );
    if (!leaving) throw new Error('no agent is on the current task');
    const { invite } = this.inviteToChannel(channel, {
      workflow_sid: current.workflowSid,
      task_channel_unique_name: current.taskChannel,
      attributes: withoutFlexKeys(current.attributes),
    });
    const task = this.tasks.get(invite.taskSid)!;
    if (options.warm && options.to) await this.agentAccepts(conversationSid, options.to);
    await this.leaveChannel(channel, leaving, options.leaveAs ?? 'wrapup');
    if (!options.warm && options.to) await this.agentAccepts(conversationSid, options.to);
    return task;
  }

  /**
   * A supervisor joins the chat from Flex (to help, or to take over): a channel participant without a task of their
   * own, and a participant in the conversation, whose webhook fires.
   */
  async supervisorJoins(conversationSid: string, supervisor: { identity: string }): Promise<Participant> {
    const c = this.conversation(conversationSid);
    this.channelFor(conversationSid)?.participants.push({
      sid: newSid('UT'),
      type: 'supervisor',
      status: 'active',
      identity: supervisor.identity,
    });
    const participant = this.addParticipant(c, supervisor.identity, '{}');
    await this.conversationEvent(c, 'onParticipantAdded', participantAddedParams(c, participant), 'API');
    return participant;
  }

  /** The invited agent declines, or the invite times out in the queue: its task is canceled. */
  async declineInvite(conversationSid: string, reason = 'Reservation rejected'): Promise<void> {
    const task = this.taskFor(conversationSid);
    if (!task || !LIVE_TASK_STATUSES.includes(task.status)) throw new Error('no invited task is waiting');
    await this.setTaskStatus(task, 'canceled', 'task.canceled', reason);
  }

  /** The agent finishes wrap-up in Flex: the task completes and TaskRouter says so. */
  async completeTask(taskSid: string, reason = 'Issue resolved'): Promise<void> {
    const task = this.tasks.get(taskSid);
    if (!task) throw new Error(`no task ${taskSid}`);
    await this.setTaskStatus(task, 'completed', 'task.completed', reason);
  }

  /** The task is canceled before anyone accepts it (e.g. it timed out in the queue). */
  async cancelTask(conversationSid: string, reason = 'Task TTL Exceeded'): Promise<void> {
    const task = this.taskFor(conversationSid);
    if (!task) throw new Error('no task for this conversation');
    await this.setTaskStatus(task, 'canceled', 'task.canceled', reason);
  }

  // ---- HTTP ----

  private async handle(req: Request, res: Response): Promise<void> {
    const [, product = '', ...rest] = req.path.split('/');
    const path = `/${rest.join('/')}`;
    const query = { ...(req.query as Record<string, unknown>) };
    const form = { ...((req.body ?? {}) as Record<string, unknown>) };
    if (product === MCS_PRODUCT || product === DIRECT_CONTENT_PRODUCT)
      return this.handleMedia(req, res, product, path);
    const send = (status: number, body: unknown, headers: Record<string, string> = {}) => {
      const operation = this.specs.findOperation(product as Product, req.method, path);
      if (operation) this.specViolations.push(...this.specs.checkResponse(operation, status, body));
      this.requests.push({ method: req.method, product, path, query, form, status, at: Date.now() });
      res.status(status).set(headers);
      if (body === undefined) res.end();
      else res.json(body);
    };

    const operation = this.specs.findOperation(product as Product, req.method, path);
    if (!operation) {
      this.specViolations.push(`${req.method} ${product}${path}: not an operation in Twilio's specs`);
      return send(404, twilioError(404, 20404, `The requested resource ${path} was not found`));
    }
    this.specViolations.push(...this.specs.checkRequest(operation, query, form));
    if (!this.authorised(req.headers.authorization)) {
      return send(401, twilioError(401, 20003, 'Authentication Error - invalid username'));
    }

    const randomKind = this.randomFaults?.next();
    const fault = this.faults.take(req.method, path) ?? (randomKind && RANDOM_FAULTS[randomKind]);
    if (fault?.dropRequest) {
      req.socket.destroy();
      return;
    }
    if (fault?.delayMs) await new Promise((resolve) => setTimeout(resolve, fault.delayMs));
    if (fault?.status) {
      const code = fault.code ?? (fault.status === 429 ? 20429 : fault.status >= 500 ? 20500 : 20001);
      const headers: Record<string, string> =
        fault.retryAfterSeconds !== undefined ? { 'Retry-After': String(fault.retryAfterSeconds) } : {};
      return send(fault.status, twilioError(fault.status, code, fault.message ?? 'Injected fault'), headers);
    }

    const route = this.route(product, req.method, path);
    if (!route)
      return send(404, twilioError(404, 20404, `The fake does not implement ${req.method} ${path}`));
    try {
      const webhooksEnabled = String(req.headers['x-twilio-webhook-enabled'] ?? '').toLowerCase() === 'true';
      const answer = route.handler({
        params: route.params,
        scope: route.scope,
        query,
        form,
        webhooksEnabled,
      });
      const status = answer.status ?? this.specs.successStatus(operation);
      if (fault?.dropAnswer) {
        this.requests.push({
          method: req.method,
          product,
          path,
          query,
          form,
          status,
          at: Date.now(),
          answerLost: true,
        });
        req.socket.destroy();
        return;
      }
      send(status, answer.body);
    } catch (err) {
      if (err instanceof FakeError) return send(err.status, twilioError(err.status, err.code, err.message));
      send(500, twilioError(500, 20500, `Internal Server Error: ${(err as Error).message}`));
    }
  }

  /**
   * The Media Content Service (outside Twilio's OpenAPI specs, so not spec-checked): `GET /v1/Services/{IS}/Media/
   * {ME}` with account credentials, and the pre-signed direct content URL it hands out, which needs none.
   */
  private async handleMedia(req: Request, res: Response, product: string, path: string): Promise<void> {
    const query = { ...(req.query as Record<string, unknown>) };
    const send = (status: number, body: unknown, headers: Record<string, string> = {}) => {
      this.requests.push({ method: req.method, product, path, query, form: {}, status, at: Date.now() });
      res.status(status).set(headers).json(body);
    };
    if (product === DIRECT_CONTENT_PRODUCT) {
      const media =
        req.method === 'GET' ? this.mediaStore.direct(path.slice(1), str(query.Signature)) : undefined;
      if (!media) return send(403, { message: 'Access denied' });
      this.requests.push({ method: req.method, product, path, query, form: {}, status: 200, at: Date.now() });
      res.status(200).type(media.contentType).send(media.content);
      return;
    }
    if (!this.authorised(req.headers.authorization)) {
      return send(401, twilioError(401, 20003, 'Authentication Error - invalid username'));
    }
    const fault = this.faults.take(req.method, path);
    if (fault?.delayMs) await new Promise((resolve) => setTimeout(resolve, fault.delayMs));
    if (fault?.status) {
      const code = fault.code ?? (fault.status === 429 ? 20429 : fault.status >= 500 ? 20500 : 20001);
      const headers: Record<string, string> =
        fault.retryAfterSeconds !== undefined ? { 'Retry-After': String(fault.retryAfterSeconds) } : {};
      return send(fault.status, twilioError(fault.status, code, fault.message ?? 'Injected fault'), headers);
    }
    const upload = /^\/v1\/Services\/(?<is>[^/]+)\/Media$/.exec(path);
    if (req.method === 'POST' && upload) {
      if (upload.groups!.is !== this.serviceSid)
        return send(
          404,
          twilioError(404, 20404, `The requested resource /Services/${upload.groups!.is} was not found`),
        );
      const contentType = req.headers['content-type'];
      if (!contentType || /^(application\/x-www-form-urlencoded|multipart\/)/.test(contentType))
        return send(400, twilioError(400, 20001, 'The file goes in the body, with its own Content-Type'));
      const bytes = await readBody(req, MAX_MEDIA_BYTES);
      if (!bytes)
        return send(413, twilioError(413, 20001, 'The file is larger than the media service accepts'));
      if (bytes.length === 0) return send(400, twilioError(400, 20001, 'The file is empty'));
      const media = this.mediaStore.upload(
        this.serviceSid,
        {
          filename: str(query.Filename) ?? 'file',
          contentType: contentType.split(';')[0]!.trim(),
          content: bytes,
        },
        this.authorIdentity(req.headers.authorization),
      );
      return send(201, this.mediaStore.resourceJson(this.accountSid, media, this.url));
    }
    const match = /^\/v1\/Services\/(?<is>[^/]+)\/Media\/(?<me>[^/]+)$/.exec(path);
    if (req.method !== 'GET' || !match)
      return send(404, twilioError(404, 20404, `The fake does not implement ${req.method} ${path}`));
    const media = this.mediaStore.media.get(match.groups!.me!);
    if (!media || media.serviceSid !== match.groups!.is)
      return send(404, twilioError(404, 20404, `The requested resource ${path} was not found`));
    send(200, this.mediaStore.resourceJson(this.accountSid, media, this.url));
  }

  /** Who uploaded a file: the account or API key that authenticated (Twilio records the uploader as author). */
  private authorIdentity(header: string | undefined): string {
    return (
      Buffer.from((header ?? '').slice(6), 'base64')
        .toString('utf8')
        .split(':')[0] ?? ''
    );
  }

  private authorised(header: string | undefined): boolean {
    if (!header?.startsWith('Basic ')) return false;
    const [user, pass] = Buffer.from(header.slice(6), 'base64').toString('utf8').split(':');
    if (user === this.accountSid && pass === this.authToken) return true;
    return !!this.options.apiKey && user === this.options.apiKey.sid && pass === this.options.apiKey.secret;
  }

  private route(product: string, method: string, path: string) {
    // The Conversations service-scoped paths address the same resources in the fake's one (default) service.
    const scoped =
      product === 'conversations'
        ? /^\/v1\/Services\/(?<is>[^/]+)(?<rest>\/(?:Conversations|ParticipantConversations)(?:\/.*)?)$/.exec(
            path,
          )
        : null;
    const scope = scoped ? `/v1/Services/${scoped.groups!.is}` : '/v1';
    const routed = scoped ? `/v1${scoped.groups!.rest}` : path;
    for (const [p, m, pattern, handler] of this.routes()) {
      if (p !== product || m !== method) continue;
      const match = pattern.exec(routed);
      if (!match) continue;
      if (scoped && scoped.groups!.is !== this.serviceSid) {
        const unknown: Handler = () => {
          throw new FakeError(
            404,
            20404,
            `The requested resource /Services/${scoped.groups!.is} was not found`,
          );
        };
        return { handler: unknown, params: {}, scope };
      }
      return { handler, params: match.groups ?? {}, scope };
    }
    return undefined;
  }

  private routes(): [string, string, RegExp, Handler][] {
    const C = 'conversations';
    const conv = '/v1/Conversations/(?<conv>[^/]+)';
    return [
      [C, 'POST', /^\/v1\/Conversations$/, (c) => this.createConversation(c)],
      [
        C,
        'GET',
        /^\/v1\/Conversations$/,
        () =>
          this.page(
            'conversations',
            [...this.conversations.values()].map((x) => this.convJson(x)),
          ),
      ],
      [C, 'GET', re(`^${conv}$`), (c) => ({ body: this.convJson(this.findConversation(c.params.conv!)) })],
      [C, 'POST', re(`^${conv}$`), (c) => this.updateConversation(c)],
      [C, 'DELETE', re(`^${conv}$`), (c) => this.deleteConversation(c)],
      [C, 'POST', re(`^${conv}/Participants$`), (c) => this.createParticipant(c)],
      [
        C,
        'GET',
        re(`^${conv}/Participants$`),
        (c) => {
          const x = this.findConversation(c.params.conv!);
          return this.pageOf(
            'participants',
            `${CONVERSATIONS_API}${c.scope}/Conversations/${x.sid}/Participants`,
            x.participants.map((p) => participantJson(this.accountSid, x, p)),
            c.query,
          );
        },
      ],
      [C, 'POST', re(`^${conv}/Messages$`), (c) => this.createMessage(c)],
      [C, 'GET', re(`^${conv}/Messages$`), (c) => this.listMessages(c)],
      [C, 'POST', re(`^${conv}/Messages/(?<im>[^/]+)$`), (c) => this.updateMessage(c)],
      [C, 'DELETE', re(`^${conv}/Messages/(?<im>[^/]+)$`), (c) => this.deleteMessage(c)],
      [C, 'POST', re(`^${conv}/Webhooks$`), (c) => this.createWebhook(c)],
      [C, 'POST', re(`^${conv}/Webhooks/(?<wh>[^/]+)$`), (c) => this.updateWebhook(c)],
      [
        C,
        'GET',
        re(`^${conv}/Webhooks$`),
        (c) => {
          const x = this.findConversation(c.params.conv!);
          return this.page(
            'webhooks',
            x.webhooks.map((w) => webhookJson(this.accountSid, x, w)),
          );
        },
      ],
      [C, 'GET', /^\/v1\/ParticipantConversations$/, (c) => this.participantConversations(c)],
      ['flex-api', 'POST', /^\/v1\/Interactions$/, (c) => this.createInteraction(c)],
      [
        'flex-api',
        'GET',
        /^\/v1\/Interactions\/(?<kd>[^/]+)$/,
        (c) => ({ body: interactionJson(this.findInteraction(c.params.kd!)) }),
      ],
      [
        'flex-api',
        'GET',
        /^\/v1\/Interactions\/(?<kd>[^/]+)\/Channels\/(?<uo>[^/]+)$/,
        (c) => this.fetchChannel(c),
      ],
      [
        'flex-api',
        'POST',
        /^\/v1\/Interactions\/(?<kd>[^/]+)\/Channels\/(?<uo>[^/]+)$/,
        (c) => this.updateChannel(c),
      ],
      [
        'flex-api',
        'POST',
        /^\/v1\/Interactions\/(?<kd>[^/]+)\/Channels\/(?<uo>[^/]+)\/Invites$/,
        (c) => this.createInvite(c),
      ],
      [
        'flex-api',
        'GET',
        /^\/v1\/Interactions\/(?<kd>[^/]+)\/Channels\/(?<uo>[^/]+)\/Invites$/,
        (c) => {
          const ch = this.findChannel(c);
          return this.page(
            'invites',
            ch.invites.map((i) => channelInviteJson(ch, i, this.tasks.get(i.taskSid)!)),
          );
        },
      ],
      [
        'flex-api',
        'GET',
        /^\/v1\/Interactions\/(?<kd>[^/]+)\/Channels\/(?<uo>[^/]+)\/Participants$/,
        (c) => {
          const ch = this.findChannel(c);
          return this.page(
            'participants',
            ch.participants.map((p) => channelParticipantJson(ch, p)),
          );
        },
      ],
      [
        'flex-api',
        'POST',
        /^\/v1\/Interactions\/(?<kd>[^/]+)\/Channels\/(?<uo>[^/]+)\/Participants\/(?<ut>[^/]+)$/,
        (c) => this.updateChannelParticipant(c),
      ],
      [
        C,
        'GET',
        /^\/v1\/Services\/(?<is>[^/]+)$/,
        (c) => {
          if (c.params.is !== this.serviceSid) this.notFound(`/Services/${c.params.is}`);
          return { body: conversationsServiceJson(this.accountSid, this.serviceSid) };
        },
      ],
      [
        'taskrouter',
        'GET',
        /^\/v1\/Workspaces\/(?<ws>[^/]+)$/,
        (c) => {
          this.requireWorkspace(c.params.ws!);
          return { body: workspaceJson(this.accountSid, this.workspaceSid) };
        },
      ],
      [
        'taskrouter',
        'GET',
        /^\/v1\/Workspaces\/(?<ws>[^/]+)\/Workflows\/(?<ww>[^/]+)$/,
        (c) => {
          this.requireWorkspace(c.params.ws!);
          if (c.params.ww !== this.workflowSid) this.notFound(`/Workflows/${c.params.ww}`);
          return { body: workflowJson(this.accountSid, this.workspaceSid, this.workflowSid) };
        },
      ],
      [
        'taskrouter',
        'GET',
        /^\/v1\/Workspaces\/(?<ws>[^/]+)\/TaskChannels$/,
        (c) => {
          this.requireWorkspace(c.params.ws!);
          return this.page(
            'channels',
            this.taskChannels.map((t) => taskChannelJson(this.accountSid, this.workspaceSid, t)),
          );
        },
      ],
      ['taskrouter', 'GET', /^\/v1\/Workspaces\/(?<ws>[^/]+)\/Tasks$/, (c) => this.listTasks(c)],
      [
        'taskrouter',
        'GET',
        /^\/v1\/Workspaces\/(?<ws>[^/]+)\/Workflows\/(?<ww>[^/]+)\/CumulativeStatistics$/,
        (c) => this.workflowCumulativeStatistics(c),
      ],
      [
        'taskrouter',
        'GET',
        /^\/v1\/Workspaces\/(?<ws>[^/]+)\/Tasks\/(?<wt>[^/]+)$/,
        (c) => ({ body: taskJson(this.accountSid, this.findTask(c)) }),
      ],
      [
        'taskrouter',
        'POST',
        /^\/v1\/Workspaces\/(?<ws>[^/]+)\/Tasks\/(?<wt>[^/]+)$/,
        (c) => this.updateTask(c),
      ],
    ];
  }

  private requireWorkspace(sid: string): void {
    if (sid !== this.workspaceSid) this.notFound(`/Workspaces/${sid}`);
  }

  private notFound(resource: string): never {
    throw new FakeError(404, 20404, `The requested resource ${resource} was not found`);
  }

  // ---- Conversations ----

  private convJson(c: Conversation) {
    return conversationJson(this.accountSid, this.serviceSid, c);
  }

  private findConversation(sidOrUniqueName: string): Conversation {
    const found =
      this.conversations.get(sidOrUniqueName) ??
      [...this.conversations.values()].find((c) => c.uniqueName === sidOrUniqueName);
    if (!found)
      throw new FakeError(
        404,
        20404,
        `The requested resource /Conversations/${sidOrUniqueName} was not found`,
      );
    return found;
  }

  private createConversation({ form }: Call): Answer {
    const uniqueName = str(form.UniqueName) ?? null;
    if (uniqueName && [...this.conversations.values()].some((c) => c.uniqueName === uniqueName)) {
      throw new FakeError(409, 50353, `Conversation with provided unique name already exists`);
    }
    const attributes = str(form.Attributes) ?? '{}';
    assertJson(attributes, 'Attributes');
    for (const [name, min] of [
      ['Timers.Inactive', 60_000],
      ['Timers.Closed', 600_000],
    ] as const) {
      const value = str(form[name]);
      const ms = durationMs(value);
      if (value !== undefined && (ms === undefined || ms < min)) {
        throw new FakeError(
          400,
          50300,
          `${name} must be an ISO 8601 duration of at least ${min / 60_000} minutes`,
        );
      }
    }
    const now = new Date();
    const c: Conversation = {
      sid: newSid('CH'),
      uniqueName,
      friendlyName: str(form.FriendlyName) ?? null,
      attributes,
      state: (str(form.State) as Conversation['state']) ?? 'active',
      timers: { inactive: str(form['Timers.Inactive']), closed: str(form['Timers.Closed']) },
      createdAt: now,
      updatedAt: now,
      participants: [],
      messages: [],
      webhooks: [],
    };
    this.conversations.set(c.sid, c);
    return { body: this.convJson(c) };
  }

  private updateConversation({ params, form, webhooksEnabled }: Call): Answer {
    const c = this.findConversation(params.conv!);
    if (form.Attributes !== undefined) {
      assertJson(str(form.Attributes)!, 'Attributes');
      c.attributes = str(form.Attributes)!;
    }
    if (form.FriendlyName !== undefined) c.friendlyName = str(form.FriendlyName)!;
    if (form['Timers.Inactive'] !== undefined) c.timers.inactive = str(form['Timers.Inactive']);
    if (form['Timers.Closed'] !== undefined) c.timers.closed = str(form['Timers.Closed']);
    c.updatedAt = new Date();
    const state = str(form.State) as Conversation['state'] | undefined;
    if (state && state !== c.state) void this.setConversationState(c, state, webhooksEnabled);
    return { body: this.convJson(c) };
  }

  private deleteConversation({ params }: Call): Answer {
    const c = this.findConversation(params.conv!);
    this.conversations.delete(c.sid);
    return { body: undefined };
  }

  private addParticipant(c: Conversation, identity: string, attributes: string): Participant {
    if (c.participants.some((p) => p.identity === identity)) {
      throw new FakeError(409, 50433, 'Participant already exists');
    }
    const p: Participant = {
      sid: newSid('MB'),
      identity,
      attributes,
      roleSid: ROLE_PARTICIPANT,
      createdAt: new Date(),
    };
    c.participants.push(p);
    return p;
  }

  private createParticipant({ params, form, webhooksEnabled }: Call): Answer {
    const c = this.findConversation(params.conv!);
    const identity = str(form.Identity);
    if (!identity) throw new FakeError(400, 50300, 'Identity or MessagingBinding.Address is required');
    const attributes = str(form.Attributes) ?? '{}';
    assertJson(attributes, 'Attributes');
    const p = this.addParticipant(c, identity, attributes);
    if (webhooksEnabled)
      void this.conversationEvent(c, 'onParticipantAdded', participantAddedParams(c, p), 'API');
    return { body: participantJson(this.accountSid, c, p) };
  }

  private addMessage(c: Conversation, author: string, body: string, attributes: string): Message {
    if (c.state === 'closed') throw new FakeError(409, 50438, 'The conversation is closed');
    const m: Message = {
      sid: newSid('IM'),
      index: c.messages.length,
      author,
      body,
      attributes,
      participantSid: c.participants.find((p) => p.identity === author)?.sid ?? null,
      createdAt: new Date(),
    };
    c.messages.push(m);
    c.updatedAt = m.createdAt;
    if (c.state === 'inactive') c.state = 'active';
    return m;
  }

  private createMessage({ params, form, webhooksEnabled }: Call): Answer {
    const c = this.findConversation(params.conv!);
    const body = str(form.Body);
    if (!body && !form.MediaSid && !form.ContentSid)
      throw new FakeError(400, 50009, 'Body, media or content is required');
    const attributes = str(form.Attributes) ?? '{}';
    assertJson(attributes, 'Attributes');
    const mediaSid = str(form.MediaSid);
    if (mediaSid) {
      const media = this.mediaStore.media.get(mediaSid);
      if (!media || media.serviceSid !== this.serviceSid || media.messageSid !== null)
        throw new FakeError(
          400,
          50362,
          `Media ${mediaSid} is not an uploaded file of this service that is free to use`,
        );
    }
    const m = this.addMessage(c, str(form.Author) ?? 'system', body ?? '', attributes);
    if (mediaSid)
      this.mediaStore.attach(mediaSid, {
        serviceSid: this.serviceSid,
        conversationSid: c.sid,
        messageSid: m.sid,
      });
    if (webhooksEnabled)
      void this.conversationEvent(
        c,
        'onMessageAdded',
        messageAddedParams(this.serviceSid, c, m, this.mediaOf(m.sid)),
        'API',
      );
    return { body: messageJson(this.accountSid, c, m, MediaStore.messageField(this.mediaOf(m.sid))) };
  }

  private messageIn(c: Conversation, messageSid: string): Message {
    const m = c.messages.find((x) => x.sid === messageSid);
    if (!m) throw new FakeError(404, 20404, `The requested resource /Messages/${messageSid} was not found`);
    return m;
  }

  private updateMessage({ params, form, webhooksEnabled }: Call): Answer {
    const c = this.findConversation(params.conv!);
    if (c.state === 'closed') throw new FakeError(409, 50438, 'The conversation is closed');
    const m = this.messageIn(c, params.im!);
    if (form.Body !== undefined) m.body = str(form.Body) ?? '';
    if (form.Attributes !== undefined) {
      assertJson(str(form.Attributes)!, 'Attributes');
      m.attributes = str(form.Attributes)!;
    }
    m.updatedAt = new Date();
    if (webhooksEnabled)
      void this.conversationEvent(c, 'onMessageUpdated', messageUpdatedParams(this.serviceSid, c, m), 'API');
    return { body: messageJson(this.accountSid, c, m, MediaStore.messageField(this.mediaOf(m.sid))) };
  }

  private deleteMessage({ params, webhooksEnabled }: Call): Answer {
    const c = this.findConversation(params.conv!);
    if (c.state === 'closed') throw new FakeError(409, 50438, 'The conversation is closed');
    const m = this.messageIn(c, params.im!);
    c.messages.splice(c.messages.indexOf(m), 1);
    if (webhooksEnabled)
      void this.conversationEvent(
        c,
        'onMessageRemoved',
        { ...messageUpdatedParams(this.serviceSid, c, m), DateRemoved: new Date().toISOString() },
        'API',
      );
    return { body: undefined };
  }

  private listMessages({ params, query, scope }: Call): Answer {
    const c = this.findConversation(params.conv!);
    const ordered = str(query.Order) === 'desc' ? [...c.messages].reverse() : c.messages;
    return this.pageOf(
      'messages',
      `${CONVERSATIONS_API}${scope}/Conversations/${c.sid}/Messages`,
      ordered.map((m) => messageJson(this.accountSid, c, m, MediaStore.messageField(this.mediaOf(m.sid)))),
      query,
      str(query.Order) ? { Order: str(query.Order)! } : {},
    );
  }

  private createWebhook({ params, form }: Call): Answer {
    const c = this.findConversation(params.conv!);
    const target = str(form.Target) as 'webhook' | 'trigger' | 'studio' | undefined;
    if (!target) throw new FakeError(400, 50300, 'Target is required');
    const url = str(form['Configuration.Url']) ?? null;
    if (target === 'webhook' && !url) throw new FakeError(400, 50300, 'Configuration.Url is required');
    if (c.webhooks.length >= 5) throw new FakeError(400, 50350, 'Too many webhooks for this conversation');
    const filters = form['Configuration.Filters'];
    const w = {
      sid: newSid('WH'),
      target,
      url,
      method: str(form['Configuration.Method']) ?? 'post',
      filters: Array.isArray(filters) ? filters.map(String) : filters ? [String(filters)] : [],
      createdAt: new Date(),
    };
    c.webhooks.push(w);
    return { body: webhookJson(this.accountSid, c, w) };
  }

  private updateWebhook({ params, form }: Call): Answer {
    const c = this.findConversation(params.conv!);
    const w = c.webhooks.find((x) => x.sid === params.wh);
    if (!w) throw new FakeError(404, 20404, `The requested resource ${params.wh} was not found`);
    const url = str(form['Configuration.Url']);
    const method = str(form['Configuration.Method']);
    const filters = form['Configuration.Filters'];
    if (url) w.url = url;
    if (method) w.method = method;
    if (filters !== undefined) w.filters = Array.isArray(filters) ? filters.map(String) : [String(filters)];
    return { body: webhookJson(this.accountSid, c, w) };
  }

  private participantConversations({ query }: Call): Answer {
    const identity = str(query.Identity);
    if (!identity) throw new FakeError(400, 50300, 'Identity or Address is required');
    const rows = [...this.conversations.values()].flatMap((c) =>
      c.participants
        .filter((p) => p.identity === identity)
        .map((p) => participantConversationJson(this.accountSid, this.serviceSid, c, p)),
    );
    return this.page('conversations', rows);
  }

  private async setConversationState(
    c: Conversation,
    state: Conversation['state'],
    notify: boolean,
  ): Promise<void> {
    const from = c.state;
    c.state = state;
    c.updatedAt = new Date();
    if (!notify) return;
    await this.conversationEvent(
      c,
      'onConversationStateUpdated',
      {
        ChatServiceSid: this.serviceSid,
        StateUpdated: c.updatedAt.toISOString(),
        StateFrom: from,
        StateTo: state,
        ConversationSid: c.sid,
        Reason: 'API',
      },
      'API',
    );
  }

  /** Sends an event to every scoped webhook of the conversation whose filters include it. */
  private async conversationEvent(
    c: Conversation,
    eventType: string,
    params: Record<string, string>,
    source: 'SDK' | 'API',
    clientIdentity?: string,
  ): Promise<void> {
    const body: Record<string, string> = {
      AccountSid: this.accountSid,
      EventType: eventType,
      Source: source,
    };
    if (clientIdentity) body.ClientIdentity = clientIdentity;
    Object.assign(body, params);
    const targets = c.webhooks.filter(
      (w) => w.target === 'webhook' && w.url && w.filters.includes(eventType),
    );
    await Promise.all(targets.map((w) => this.webhooks.send(w.url!, body)));
  }

  // ---- Flex Interactions ----

  private findInteraction(sid: string): Interaction {
    const found = this.interactions.get(sid);
    if (!found) throw new FakeError(404, 20404, `The requested resource /Interactions/${sid} was not found`);
    return found;
  }

  private createInteraction({ form }: Call): Answer {
    const channel = parseJsonParam(form.Channel, 'Channel') as {
      type?: string;
      initiated_by?: string;
      properties?: { media_channel_sid?: string };
    };
    const routing = parseJsonParam(form.Routing, 'Routing') as {
      properties?: {
        workspace_sid?: string;
        workflow_sid?: string;
        task_channel_unique_name?: string;
        attributes?: Record<string, unknown>;
      };
    };
    const media = channel.properties?.media_channel_sid;
    if (!channel.type || !media)
      throw new FakeError(400, 45001, 'Channel type and properties.media_channel_sid are required');
    const conversation = this.findConversation(media);
    const props = routing.properties ?? {};
    if (props.workspace_sid !== this.workspaceSid)
      throw new FakeError(400, 45002, `Unknown workspace ${props.workspace_sid}`);
    if (props.workflow_sid !== this.workflowSid)
      throw new FakeError(400, 45003, `Unknown workflow ${props.workflow_sid}`);

    const interactionSid = newSid('KD');
    const channelSid = newSid('UO');
    const task = this.createTask(props, {
      conversationSid: conversation.sid,
      channelType: channel.type,
      initiatedBy: channel.initiated_by ?? 'customer',
      direction: 'inbound',
      flexInteractionSid: interactionSid,
      flexInteractionChannelSid: channelSid,
      conversations: { media: [{ type: 'ChatTranscript', sid: conversation.sid }] },
    });
    const failWith = this.failNextSetup;
    this.failNextSetup = undefined;
    const interaction: Interaction = {
      sid: interactionSid,
      taskSid: task.sid,
      channel: {
        sid: channelSid,
        interactionSid,
        type: channel.type,
        status: 'setup',
        mediaChannelSid: conversation.sid,
        errorCode: null,
        errorMessage: null,
        setupFetchesLeft: this.options.interactionSetupFetches ?? 1,
        failWith,
        participants: [{ sid: newSid('UT'), type: 'customer', status: 'active' }],
        invites: [],
      },
      routing: routingJson(task),
    };
    this.interactions.set(interactionSid, interaction);
    return { body: interactionJson(interaction) };
  }

  /**
   * A TaskRouter task for an interaction channel: the caller's routing attributes with Flex's own keys beside
   * them. Created strictly after every earlier task, so `DateCreated` ordering always finds the newest.
   */
  private createTask(
    props: { workflow_sid?: string; task_channel_unique_name?: string; attributes?: Record<string, unknown> },
    flexKeys: Record<string, unknown>,
  ): Task {
    const latest = Math.max(0, ...[...this.tasks.values()].map((t) => t.createdAt.getTime()));
    const now = new Date(Math.max(Date.now(), latest + 1));
    const task: Task = {
      sid: newSid('WT'),
      workspaceSid: this.workspaceSid,
      workflowSid: props.workflow_sid ?? this.workflowSid,
      taskChannel: props.task_channel_unique_name ?? 'default',
      attributes: { ...props.attributes, ...flexKeys },
      status: 'pending',
      priority: 0,
      reason: null,
      createdAt: now,
      updatedAt: now,
    };
    this.tasks.set(task.sid, task);
    return task;
  }

  private findChannel({ params }: Call): InteractionChannel {
    const ch = this.findInteraction(params.kd!).channel;
    if (ch.sid !== params.uo)
      throw new FakeError(404, 20404, `The requested resource /Channels/${params.uo} was not found`);
    return ch;
  }

  /** `POST …/Invites`: a new task on the channel, routed like the interaction's first one. */
  private createInvite(call: Call): Answer {
    const ch = this.findChannel(call);
    if (ch.status === 'closed' || ch.status === 'failed')
      throw new FakeError(400, 45005, `The channel is ${ch.status}`);
    const routing = parseJsonParam(call.form.Routing, 'Routing') as {
      properties?: {
        workspace_sid?: string;
        workflow_sid?: string;
        task_channel_unique_name?: string;
        attributes?: Record<string, unknown>;
      };
    };
    const props = routing.properties ?? {};
    if (props.workspace_sid !== this.workspaceSid)
      throw new FakeError(400, 45002, `Unknown workspace ${props.workspace_sid}`);
    if (props.workflow_sid !== undefined && props.workflow_sid !== this.workflowSid)
      throw new FakeError(400, 45003, `Unknown workflow ${props.workflow_sid}`);
    const { invite, task } = this.inviteToChannel(ch, props);
    return { body: channelInviteJson(ch, invite, task) };
  }

  private inviteToChannel(
    ch: InteractionChannel,
    props: { workflow_sid?: string; task_channel_unique_name?: string; attributes?: Record<string, unknown> },
  ) {
    const inviteSid = newSid('KG');
    const task = this.createTask(props, {
      conversationSid: ch.mediaChannelSid,
      channelType: ch.type,
      flexChannelInviteSid: inviteSid,
      flexInteractionSid: ch.interactionSid,
      flexInteractionChannelSid: ch.sid,
      conversations: { media: [{ type: 'ChatTranscript', sid: ch.mediaChannelSid }] },
    });
    const invite = { sid: inviteSid, taskSid: task.sid, createdAt: task.createdAt };
    ch.invites.push(invite);
    return { invite, task };
  }

  /**
   * `POST …/Participants/{UT}` with `Status`: the agent leaves the channel. Per Twilio's docs their task completes
   * (`closed`) or wraps up (`wrapup`) while the channel and the conversation stay active; Flex takes the agent out
   * of the conversation.
   */
  private updateChannelParticipant(call: Call): Answer {
    const ch = this.findChannel(call);
    const participant = ch.participants.find((p) => p.sid === call.params.ut);
    if (!participant)
      throw new FakeError(404, 20404, `The requested resource /Participants/${call.params.ut} was not found`);
    const status = str(call.form.Status);
    if (status !== 'closed' && status !== 'wrapup')
      throw new FakeError(400, 45004, 'Status must be closed or wrapup');
    void this.leaveChannel(ch, participant, status);
    return { body: channelParticipantJson(ch, participant) };
  }

  private async leaveChannel(
    ch: InteractionChannel,
    participant: ChannelParticipant,
    status: 'closed' | 'wrapup',
  ): Promise<void> {
    participant.status = status;
    const task = participant.taskSid ? this.tasks.get(participant.taskSid) : undefined;
    const sends: Promise<void>[] = [];
    if (task && LIVE_TASK_STATUSES.includes(task.status)) {
      sends.push(
        status === 'closed'
          ? this.setTaskStatus(task, 'completed', 'task.completed', 'Participant left the channel')
          : this.setTaskStatus(task, 'wrapping', 'task.wrapup'),
      );
    }
    const c = this.conversations.get(ch.mediaChannelSid);
    const member = c?.participants.find((p) => p.identity === participant.identity);
    const stillOnChannel = ch.participants.some(
      (p) => p !== participant && p.status === 'active' && p.identity === participant.identity,
    );
    if (c && member && !stillOnChannel) {
      c.participants = c.participants.filter((p) => p !== member);
      sends.push(this.conversationEvent(c, 'onParticipantRemoved', participantAddedParams(c, member), 'API'));
    }
    await Promise.all(sends);
  }

  private fetchChannel({ params }: Call): Answer {
    const ch = this.findInteraction(params.kd!).channel;
    if (ch.sid !== params.uo)
      throw new FakeError(404, 20404, `The requested resource /Channels/${params.uo} was not found`);
    const body = interactionChannelJson(ch);
    if (ch.status === 'setup') {
      ch.setupFetchesLeft -= 1;
      if (ch.setupFetchesLeft < 0) {
        ch.status = ch.failWith ? 'failed' : 'active';
        ch.errorCode = ch.failWith?.code ?? null;
        ch.errorMessage = ch.failWith?.message ?? null;
        return { body: interactionChannelJson(ch) };
      }
    }
    return { body };
  }

  private updateChannel({ params, form }: Call): Answer {
    const interaction = this.findInteraction(params.kd!);
    const ch = interaction.channel;
    if (ch.sid !== params.uo)
      throw new FakeError(404, 20404, `The requested resource /Channels/${params.uo} was not found`);
    const status = str(form.Status);
    if (status !== 'closed' && status !== 'inactive')
      throw new FakeError(400, 45004, `Status must be closed or inactive`);
    if (ch.status === 'closed') throw new FakeError(400, 45005, 'The channel is already closed');
    const routing = form.Routing ? (parseJsonParam(form.Routing, 'Routing') as { status?: string }) : {};
    ch.status = status;
    // Per the Flex docs: without a routing status, the channel's tasks move to wrapping.
    for (const task of this.tasksFor(ch.mediaChannelSid)) {
      if (!LIVE_TASK_STATUSES.includes(task.status) || task.attributes.flexInteractionChannelSid !== ch.sid)
        continue;
      const next = routing.status === 'closed' ? 'completed' : 'wrapping';
      void this.setTaskStatus(task, next, next === 'completed' ? 'task.completed' : 'task.wrapup');
    }
    return { body: interactionChannelJson(ch) };
  }

  // ---- TaskRouter ----

  private findTask({ params }: Call): Task {
    const task = this.tasks.get(params.wt!);
    if (!task || task.workspaceSid !== params.ws)
      throw new FakeError(404, 20404, `The requested resource /Tasks/${params.wt} was not found`);
    return task;
  }

  private listTasks({ params, query }: Call): Answer {
    if (params.ws !== this.workspaceSid)
      throw new FakeError(404, 20404, `The requested resource /Workspaces/${params.ws} was not found`);
    const statuses =
      query.AssignmentStatus === undefined
        ? undefined
        : ([] as unknown[]).concat(query.AssignmentStatus).map(String);
    const expression = str(query.EvaluateTaskAttributes);
    const matches = expression ? attributeMatcher(expression) : () => true;
    const workflowSid = str(query.WorkflowSid);
    const rows = [...this.tasks.values()]
      .filter(
        (t) =>
          (!statuses || statuses.includes(t.status)) &&
          (!workflowSid || t.workflowSid === workflowSid) &&
          matches(t.attributes),
      )
      .sort(taskOrdering(str(query.Ordering)))
      .map((t) => taskJson(this.accountSid, t));
    return this.page('tasks', rows);
  }

  private workflowCumulativeStatistics({ params, query }: Call): Answer {
    if (params.ws !== this.workspaceSid)
      throw new FakeError(404, 20404, `The requested resource /Workspaces/${params.ws} was not found`);
    if (params.ww !== this.workflowSid)
      throw new FakeError(404, 20404, `The requested resource /Workflows/${params.ww} was not found`);
    const channel = str(query.TaskChannel);
    const tasks = [...this.tasks.values()].filter(
      (t) => t.workflowSid === params.ww && (!channel || t.taskChannel === channel),
    );
    const minutes = Number(str(query.Minutes) ?? 15) || 15;
    return {
      body: workflowCumulativeStatisticsJson(this.accountSid, params.ws, params.ww, tasks, minutes),
    };
  }

  private updateTask(call: Call): Answer {
    const task = this.findTask(call);
    const { form } = call;
    if (form.Priority !== undefined) task.priority = Number(form.Priority);
    if (form.Attributes !== undefined)
      task.attributes = parseJsonParam(form.Attributes, 'Attributes') as Record<string, unknown>;
    const status = str(form.AssignmentStatus) as Task['status'] | undefined;
    if (status === 'canceled' || status === 'completed' || status === 'wrapping') {
      void this.setTaskStatus(
        task,
        status,
        `task.${status === 'wrapping' ? 'wrapup' : status}`,
        str(form.Reason),
      );
    }
    task.updatedAt = new Date();
    return { body: taskJson(this.accountSid, task) };
  }

  private async setTaskStatus(
    task: Task,
    status: Task['status'],
    event: string,
    reason?: string,
  ): Promise<void> {
    task.status = status;
    task.reason = reason ?? task.reason;
    task.updatedAt = new Date();
    const extra: Record<string, string> = { ResourceType: 'task', ResourceSid: task.sid };
    if (status === 'completed' && reason) extra.TaskCompletedReason = reason;
    if (status === 'canceled' && reason) extra.TaskCanceledReason = reason;
    await this.taskrouterEvent(task, event, extra);
  }

  private async taskrouterEvent(task: Task, eventType: string, extra: Record<string, string>): Promise<void> {
    const url = this.options.taskrouterCallbackUrl;
    if (!url) return;
    await this.webhooks.send(url, {
      EventType: eventType,
      AccountSid: this.accountSid,
      WorkspaceSid: task.workspaceSid,
      WorkspaceName: 'Flex Task Assignment',
      EventDescription: `${eventType} for ${task.sid}`,
      Timestamp: String(Math.floor(Date.now() / 1000)),
      TaskSid: task.sid,
      TaskAttributes: JSON.stringify(task.attributes),
      TaskAge: String(Math.floor((Date.now() - task.createdAt.getTime()) / 1000)),
      TaskPriority: String(task.priority),
      TaskAssignmentStatus: task.status,
      TaskQueueSid: 'WQ' + task.sid.slice(2),
      WorkflowSid: task.workflowSid,
      Sid: newSid('EV'),
      ...extra,
    });
  }

  // ---- paging ----

  /**
   * One page of a list the way Twilio pages it: `PageSize` records (default 50, at most 1000) from page `Page`, and
   * a `next_page_url` (with a `PageToken`, and the list's own filters) while more remain, which twilio-node follows.
   */
  private pageOf(
    key: string,
    listUrl: string,
    records: unknown[],
    query: Record<string, unknown>,
    filters: Record<string, string> = {},
  ): Answer {
    const size = Math.min(Math.max(Number(str(query.PageSize) ?? 50) || 50, 1), 1000);
    const page = Math.max(Number(str(query.Page) ?? 0) || 0, 0);
    const link = (n: number) => {
      const params = new URLSearchParams({ ...filters, PageSize: String(size), Page: String(n) });
      if (n > 0) params.set('PageToken', `PT${n * size}`);
      return `${listUrl}?${params.toString()}`;
    };
    const more = (page + 1) * size < records.length;
    return {
      body: {
        [key]: records.slice(page * size, (page + 1) * size),
        meta: {
          page,
          page_size: size,
          first_page_url: link(0),
          previous_page_url: page > 0 ? link(page - 1) : null,
          url: link(page),
          next_page_url: more ? link(page + 1) : null,
          key,
        },
      },
    };
  }

  /** Twilio's "next-gen" list shape: the records under `key`, and a meta block with one page. */
  private page(key: string, records: unknown[], pageSize = 50): Answer {
    return {
      body: {
        [key]: records,
        meta: {
          page: 0,
          page_size: pageSize,
          first_page_url: `https://example.twilio.com/v1/${key}?PageSize=${pageSize}&Page=0`,
          previous_page_url: null,
          url: `https://example.twilio.com/v1/${key}?PageSize=${pageSize}&Page=0`,
          next_page_url: null,
          key,
        },
      },
    };
  }
}

/**
 * TaskRouter's `Ordering` (`Priority:desc,DateCreated:asc`); without one, oldest first. Ties keep the oldest first,
 * as TaskRouter offers tasks.
 */
function taskOrdering(ordering: string | undefined): (a: Task, b: Task) => number {
  const keys = (ordering ?? 'DateCreated:asc').split(',').map((part) => {
    const [attribute, order] = part.split(':');
    if (attribute !== 'Priority' && attribute !== 'DateCreated')
      throw new FakeError(400, 20001, `Invalid Ordering attribute ${attribute}`);
    return { attribute, sign: order === 'desc' ? -1 : 1 };
  });
  return (a, b) => {
    for (const { attribute, sign } of keys) {
      const diff =
        attribute === 'Priority' ? a.priority - b.priority : a.createdAt.getTime() - b.createdAt.getTime();
      if (diff !== 0) return sign * diff;
    }
    return a.createdAt.getTime() - b.createdAt.getTime();
  };
}

/** The fake's media service refuses bodies larger than this (Flex's own limits are far lower). */
const MAX_MEDIA_BYTES = 100 * 1024 * 1024;

/** The raw request body, or undefined once it passes `max` bytes. */
async function readBody(req: Request, max: number): Promise<Buffer | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > max) return undefined;
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

/** The Conversations API's public base; twilio-node follows `next_page_url`, routed to the fake like any call. */
const CONVERSATIONS_API = 'https://conversations.twilio.com';

function re(source: string): RegExp {
  return new RegExp(source);
}

function str(value: unknown): string | undefined {
  if (value === undefined || value === null) return undefined;
  return Array.isArray(value) ? String(value[0]) : String(value);
}

function assertJson(value: string, name: string): void {
  try {
    JSON.parse(value);
  } catch {
    throw new FakeError(400, 50351, `${name} must be valid JSON`);
  }
}

function parseJsonParam(value: unknown, name: string): unknown {
  const text = str(value);
  if (text === undefined) throw new FakeError(400, 20001, `Missing required parameter ${name}`);
  try {
    return JSON.parse(text);
  } catch {
    throw new FakeError(400, 20001, `${name} must be a JSON object`);
  }
}

/** The task attributes a transfer carries over: the caller's own, without the keys Flex writes per task. */
function withoutFlexKeys(attributes: Record<string, unknown>): Record<string, unknown> {
  const flexKeys = [
    'conversationSid',
    'channelType',
    'initiatedBy',
    'direction',
    'flexInteractionSid',
    'flexInteractionChannelSid',
    'flexChannelInviteSid',
    'conversations',
  ];
  return Object.fromEntries(Object.entries(attributes).filter(([key]) => !flexKeys.includes(key)));
}

/** The subset of TaskRouter's expression language flexcord uses: `key == "value"` joined by AND. */
function attributeMatcher(expression: string): (attributes: Record<string, unknown>) => boolean {
  const clauses = expression.split(/\s+AND\s+/i).map((clause) => {
    const m = /^\s*([\w.]+)\s*==\s*"([^"]*)"\s*$/.exec(clause);
    if (!m) throw new FakeError(400, 20001, `Unsupported EvaluateTaskAttributes expression: ${clause}`);
    return { key: m[1]!, value: m[2]! };
  });
  return (attributes) => clauses.every(({ key, value }) => String(attributes[key]) === value);
}

function participantAddedParams(c: Conversation, p: Participant): Record<string, string> {
  return {
    ConversationSid: c.sid,
    ParticipantSid: p.sid,
    DateCreated: p.createdAt.toISOString(),
    Identity: p.identity ?? '',
    RoleSid: p.roleSid,
    Attributes: p.attributes,
    'MessagingBinding.Type': 'CHAT',
  };
}

/** onMessageUpdated and onMessageRemoved carry the message as it is, with when it changed. */
function messageUpdatedParams(serviceSid: string, c: Conversation, m: Message): Record<string, string> {
  return {
    ...messageAddedParams(serviceSid, c, m),
    DateUpdated: (m.updatedAt ?? m.createdAt).toISOString(),
  };
}

function messageAddedParams(
  serviceSid: string,
  c: Conversation,
  m: Message,
  media: StoredMedia[] = [],
): Record<string, string> {
  const params: Record<string, string> = {
    ChatServiceSid: serviceSid,
    ConversationSid: c.sid,
    MessageSid: m.sid,
    Index: String(m.index),
    DateCreated: m.createdAt.toISOString(),
    Body: m.body ?? '',
    Author: m.author,
    Attributes: m.attributes,
  };
  if (m.participantSid) params.ParticipantSid = m.participantSid;
  if (media.length > 0) params.Media = MediaStore.webhookParam(media);
  return params;
}
