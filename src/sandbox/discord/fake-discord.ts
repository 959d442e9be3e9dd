import http from 'node:http';
import { type AddressInfo } from 'node:net';
import express from 'express';
import {
  ApplicationCommandOptionType,
  ApplicationFlags,
  ChannelType,
  PermissionFlagsBits,
  ComponentType,
  GatewayDispatchEvents,
  GatewayIntentBits,
  InteractionResponseType,
  InteractionType,
  MessageFlags,
} from 'discord-api-types/v10';
import { DiscordHttpError } from './http-error';
import { FakeCdn, type FakeFile } from './cdn';
import { FakeGateway, type GatewaySession } from './gateway';
import {
  channelJson,
  type FakeChannel,
  type FakeGuild,
  type FakeMessage,
  type FakeUser,
  newChannel,
  newMessage,
  userJson,
} from './model';
import { allowedMentionsError, type AllowedMentions, type Pings, pingsOf } from './mentions';
import { OpenApiChecker } from './openapi-checker';
import {
  DISCORD_GLOBAL_LIMIT,
  FakeRateLimiter,
  type GlobalRateLimit,
  type RateLimitRule,
} from './rate-limiter';
import { createRestRouter } from './rest';
import { channelPermissions, EVERYONE_PERMISSIONS, isThread } from './permissions';
import { snowflake } from './snowflake';
import { type RandomFaults } from '../random-faults';

export interface FakeInteraction {
  id: string;
  token: string;
  type: InteractionType;
  userId: string;
  guildId?: string;
  channelId: string;
  dispatchedAt: number;
  callback?: { type: InteractionResponseType; data?: Record<string, unknown>; at: number };
  deferredFlags?: number;
  /** The first (or deferred-then-edited) reply. */
  original?: FakeMessage;
  followUps: FakeMessage[];
  /** For component interactions: the message the button sat on. */
  message?: FakeMessage;
  missedDeadline?: boolean;
}

export interface FakeDiscordOptions {
  token?: string;
  applicationId?: string;
  /** Route buckets; defaults to Discord's 5 messages per 5 s and 10 crossposts per hour, per channel. */
  rateLimits?: RateLimitRule[];
  /**
   * Discord's global limit per bot token: 50 requests per second unless set (Discord raises it for large bots on
   * request); `false` turns it off. Interaction callbacks and follow-ups are not counted, as at Discord.
   */
  globalRateLimit?: GlobalRateLimit | false;
  /** Discord's 3-second window to acknowledge an interaction. */
  interactionDeadlineMs?: number;
  /** A fixed id for the bot user, so a sandbox restored from disk keeps the one its channels' overwrites name. */
  botUserId?: string;
  /**
   * How long `enforce_nonce` remembers a nonce. Discord checks uniqueness only "in the past few minutes" (it does not
   * publish the exact window); tests shorten it to see what happens after it.
   */
  nonceWindowMs?: number;
  /** The fake's clock for time windows (the nonce window); tests move it instead of sleeping. */
  now?: () => number;
  /**
   * Whether the Message Content intent is switched on for the application in the developer portal (default true).
   * Off, GET /applications/@me says so in its flags and the gateway refuses a bot that asks for it (close 4014).
   */
  messageContentIntent?: boolean;
}

const ADMINISTRATOR = 1n << 3n;
/** The fake's nonce window unless a test sets one: a few minutes, as Discord documents. */
export const DEFAULT_NONCE_WINDOW_MS = 2 * 60_000;

/**
 * A local Discord for tests and the offline sandbox: REST v10 (the subset flexcord uses) plus the gateway, on one
 * 127.0.0.1 port. It plays the users too: DMs, slash commands, modal submits and button presses.
 *
 *   const discord = await new FakeDiscord().start();
 *   new Client({ intents, rest: { api: discord.apiUrl } }).login(discord.token);
 */
export class FakeDiscord {
  readonly token: string;
  readonly applicationId: string;
  readonly interactionDeadlineMs: number;
  readonly nonceWindowMs: number;
  readonly now: () => number;
  /** While true every REST request answers 503, as during a Discord outage (the gateway is not affected). */
  outage = false;
  /** The Message Content intent's switch in the developer portal (see FakeDiscordOptions). */
  messageContentIntent: boolean;
  /** When set, a share of REST requests fails at random (429, 5xx, no answer, answer lost): the chaos suite's. */
  randomFaults?: RandomFaults;
  readonly botUser: FakeUser;
  readonly users = new Map<string, FakeUser>();
  readonly guilds = new Map<string, FakeGuild>();
  readonly channels = new Map<string, FakeChannel>();
  readonly messages = new Map<string, FakeMessage[]>();
  readonly interactions = new Map<string, FakeInteraction>();
  /** Registered slash commands by scope: `global` or a guild id. */
  readonly commands = new Map<string, { id: string; name: string; [key: string]: unknown }[]>();
  readonly checker = new OpenApiChecker();
  readonly rateLimiter: FakeRateLimiter;
  readonly requestLog: { method: string; path: string; body: unknown }[] = [];
  readonly unhandled: string[] = [];
  /** Files members attached, served like Discord's CDN (see cdn.ts). */
  readonly cdn = new FakeCdn();
  /** Per message the bot posted: the `allowed_mentions` it sent (absent when it sent none) and who it notifies. */
  readonly mentionLog = new Map<string, { allowedMentions?: AllowedMentions; pings: Pings }>();
  private readonly injected: {
    method: string;
    path: RegExp;
    status: number;
    code: number;
    message: string;
    retryAfter?: number;
  }[] = [];
  private readonly lostAnswers: {
    method: string;
    path: RegExp;
    body?: (body: Record<string, unknown>) => boolean;
  }[] = [];
  private readonly holds: { method: string; path: RegExp; reached(): void; released: Promise<void> }[] = [];
  private readonly gateway: FakeGateway;
  private server?: http.Server;

  constructor(options: FakeDiscordOptions = {}) {
    this.token = options.token ?? 'fake-bot-token';
    this.applicationId = options.applicationId ?? snowflake();
    this.interactionDeadlineMs = options.interactionDeadlineMs ?? 3000;
    this.nonceWindowMs = options.nonceWindowMs ?? DEFAULT_NONCE_WINDOW_MS;
    this.now = options.now ?? Date.now;
    this.messageContentIntent = options.messageContentIntent ?? true;
    this.rateLimiter = new FakeRateLimiter(
      options.rateLimits ?? [
        { route: 'post /channels/{channel_id}/messages', limit: 5, windowMs: 5000 },
        // Publishing is limited per channel per hour (Discord: 10 crossposts an hour).
        {
          route: 'post /channels/{channel_id}/messages/{message_id}/crosspost',
          limit: 10,
          windowMs: 60 * 60_000,
        },
      ],
      options.globalRateLimit ?? DISCORD_GLOBAL_LIMIT,
    );
    this.botUser = this.addUser('flexcord-bot', { bot: true, id: options.botUserId });
    this.gateway = new FakeGateway({
      onIdentify: (s) => this.identify(s),
      refuses: (intents) => (intents & GatewayIntentBits.MessageContent) !== 0 && !this.messageContentIntent,
    });
  }

  // ---- lifecycle ----

  async start(): Promise<this> {
    const app = express();
    app.use('/api/v10', createRestRouter(this));
    app.use(this.cdn.router());
    this.server = http.createServer(app);
    this.server.on('upgrade', (req, socket, head) => {
      if (req.url?.startsWith('/gateway')) this.gateway.handleUpgrade(req, socket, head);
      else socket.destroy();
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    return this;
  }

  async stop(): Promise<void> {
    await this.gateway.close();
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  get url(): string {
    const { port } = this.server!.address() as AddressInfo;
    return `http://127.0.0.1:${port}`;
  }

  /** Pass as discord.js / @discordjs/rest `rest.api` (the client appends `/v10`). */
  get apiUrl(): string {
    return `${this.url}/api`;
  }

  get gatewayUrl(): string {
    return `${this.url.replace('http', 'ws')}/gateway`;
  }

  get heartbeatAcks(): number {
    return this.gateway.heartbeatsAcked.count;
  }

  /** True while a bot holds an identified gateway connection (false again once it disconnects). */
  hasGatewaySession(): boolean {
    return this.gateway.hasIdentifiedSession();
  }

  /** Resolves once a bot has identified over the gateway. */
  async waitForGatewaySession(timeoutMs = 10_000): Promise<void> {
    await waitFor(() => this.gateway.hasIdentifiedSession(), timeoutMs, 'a gateway session');
  }

  // ---- world building ----

  addUser(
    username: string,
    opts: { bot?: boolean; dmsClosed?: boolean; id?: string; locale?: string } = {},
  ): FakeUser {
    const user: FakeUser = {
      id: opts.id ?? snowflake(),
      username,
      bot: opts.bot ?? false,
      dmsClosed: opts.dmsClosed ?? false,
      ...(opts.locale ? { locale: opts.locale } : {}),
    };
    this.users.set(user.id, user);
    return user;
  }

  /** A guild with the bot in it and a `#support` text channel. */
  addGuild(name: string, ownerId?: string): { guild: FakeGuild; supportChannel: FakeChannel } {
    const id = snowflake();
    const guild: FakeGuild = {
      id,
      name,
      ownerId: ownerId ?? this.botUser.id,
      members: new Map(),
      roles: [{ id, name: '@everyone' }],
    };
    this.guilds.set(id, guild);
    guild.members.set(this.botUser.id, { userId: this.botUser.id, roles: [], admin: false });
    const supportChannel = this.addChannel(
      newChannel({ type: ChannelType.GuildText, guildId: id, name: 'support' }),
    );
    return { guild, supportChannel };
  }

  addRole(guildId: string, name: string): string {
    const role = { id: snowflake(), name };
    this.requireGuild(guildId).roles.push(role);
    return role.id;
  }

  addMember(guildId: string, userId: string, opts: { roles?: string[]; admin?: boolean } = {}): void {
    this.requireGuild(guildId).members.set(userId, {
      userId,
      roles: opts.roles ?? [],
      admin: opts.admin ?? false,
    });
  }

  addChannel(channel: FakeChannel): FakeChannel {
    this.channels.set(channel.id, channel);
    this.messages.set(channel.id, []);
    if (channel.type === ChannelType.PrivateThread || channel.type === ChannelType.PublicThread) {
      this.gateway.dispatch(
        GatewayDispatchEvents.ThreadCreate,
        { ...this.channelJson(channel.id), newly_created: true },
        GatewayIntentBits.Guilds,
      );
    } else if (channel.guildId) {
      this.gateway.dispatch(
        GatewayDispatchEvents.ChannelCreate,
        this.channelJson(channel.id),
        GatewayIntentBits.Guilds,
      );
    }
    return channel;
  }

  dmChannelFor(userId: string): FakeChannel {
    const existing = [...this.channels.values()].find(
      (c) => c.type === ChannelType.DM && c.recipientId === userId,
    );
    return existing ?? this.addChannel(newChannel({ type: ChannelType.DM, recipientId: userId }));
  }

  // ---- reading state (for assertions and the REST layer) ----

  requireChannel(id: string): FakeChannel {
    const channel = this.channels.get(id);
    if (!channel) throw httpError(404, 10003, 'Unknown Channel');
    return channel;
  }

  requireGuild(id: string): FakeGuild {
    const guild = this.guilds.get(id);
    if (!guild) throw httpError(404, 10004, 'Unknown Guild');
    return guild;
  }

  guildChannels(guildId: string): FakeChannel[] {
    return [...this.channels.values()].filter(
      (c) =>
        c.guildId === guildId && c.type !== ChannelType.PrivateThread && c.type !== ChannelType.PublicThread,
    );
  }

  channelByName(guildId: string, name: string): FakeChannel | undefined {
    return this.guildChannels(guildId).find((c) => c.name === name);
  }

  messagesIn(channelId: string): FakeMessage[] {
    return this.messages.get(channelId) ?? [];
  }

  userJson(id: string) {
    return userJson(this.users.get(id)!);
  }

  /**
   * The application's flags: the privileged intents switched on in the developer portal. Discord sets the
   * `_LIMITED` flag for a bot in fewer than 100 servers, as this one is.
   */
  applicationFlags(): number {
    return this.messageContentIntent ? ApplicationFlags.GatewayMessageContentLimited : 0;
  }

  /** GET /applications/@me: the bot's own application. */
  applicationJson(): Record<string, unknown> {
    const flags = this.applicationFlags();
    return {
      id: this.applicationId,
      name: this.botUser.username,
      icon: null,
      description: '',
      type: null,
      verify_key: '0'.repeat(64),
      flags,
      flags_new: String(flags),
      redirect_uris: [],
      interactions_endpoint_url: null,
      role_connections_verification_url: null,
      owner: this.userJson(this.botUser.id),
      approximate_guild_count: this.guilds.size,
      approximate_user_install_count: 0,
      approximate_user_authorization_count: 0,
      explicit_content_filter: 0,
      team: null,
      eligible_oauth2_scopes: [],
      bot: this.userJson(this.botUser.id),
      bot_public: false,
      bot_require_code_grant: false,
    };
  }

  /** GET /users/@me/guilds: a guild the bot is in, with the bot's permissions there. */
  myGuildJson(guild: FakeGuild): Record<string, unknown> {
    const member = guild.members.get(this.botUser.id);
    const permissions = member?.admin ? EVERYONE_PERMISSIONS | ADMINISTRATOR : EVERYONE_PERMISSIONS;
    return {
      id: guild.id,
      name: guild.name,
      icon: null,
      banner: null,
      owner: guild.ownerId === this.botUser.id,
      permissions: permissions.toString(),
      features: [],
    };
  }

  channelJson(id: string): Record<string, unknown> {
    return channelJson(this.requireChannel(id), this.users, this.messagesIn(id).length);
  }

  memberJson(guildId: string, userId: string) {
    const member = this.requireGuild(guildId).members.get(userId);
    return {
      user: this.userJson(userId),
      roles: member?.roles ?? [],
      joined_at: new Date(0).toISOString(),
      deaf: false,
      mute: false,
      flags: 0,
      pending: false,
      nick: null,
      avatar: null,
      banner: null,
      premium_since: null,
      communication_disabled_until: null,
    };
  }

  /** Stores a message and dispatches MESSAGE_CREATE, as Discord does for the bot's own messages too. */
  addMessage(message: FakeMessage): void {
    const channel = this.requireChannel(message.channel_id);
    this.messagesIn(channel.id).push(message);
    const isDm = channel.type === ChannelType.DM;
    const intent = isDm ? GatewayIntentBits.DirectMessages : GatewayIntentBits.GuildMessages;
    this.gateway.dispatch(GatewayDispatchEvents.MessageCreate, undefined, intent, (s) => ({
      ...message,
      // Without the privileged intent, guild messages arrive with empty content (unless they mention the bot).
      content:
        isDm || message.author.id === this.botUser.id || (s.intents & GatewayIntentBits.MessageContent) !== 0
          ? message.content
          : '',
      channel_type: channel.type,
      ...(channel.guildId
        ? { guild_id: channel.guildId, member: this.memberJson(channel.guildId, message.author.id) }
        : {}),
    }));
  }

  /** Applies an edit to a stored message and dispatches MESSAGE_UPDATE (the full message, as Discord sends it). */
  editStoredMessage(
    message: FakeMessage,
    fields: Partial<Pick<FakeMessage, 'content' | 'embeds' | 'components'>>,
  ): void {
    Object.assign(message, fields, { edited_timestamp: new Date().toISOString() });
    const channel = this.requireChannel(message.channel_id);
    const isDm = channel.type === ChannelType.DM;
    const intent = isDm ? GatewayIntentBits.DirectMessages : GatewayIntentBits.GuildMessages;
    this.gateway.dispatch(GatewayDispatchEvents.MessageUpdate, undefined, intent, (s) => ({
      ...message,
      content:
        isDm || message.author.id === this.botUser.id || (s.intents & GatewayIntentBits.MessageContent) !== 0
          ? message.content
          : '',
      channel_type: channel.type,
      ...(channel.guildId
        ? { guild_id: channel.guildId, member: this.memberJson(channel.guildId, message.author.id) }
        : {}),
    }));
  }

  /** Removes a stored message and dispatches MESSAGE_DELETE, which carries only ids. */
  deleteStoredMessage(channelId: string, messageId: string): boolean {
    const channel = this.requireChannel(channelId);
    const list = this.messagesIn(channelId);
    const at = list.findIndex((m) => m.id === messageId);
    if (at < 0) return false;
    list.splice(at, 1);
    const intent =
      channel.type === ChannelType.DM ? GatewayIntentBits.DirectMessages : GatewayIntentBits.GuildMessages;
    this.gateway.dispatch(
      GatewayDispatchEvents.MessageDelete,
      { id: messageId, channel_id: channelId, ...(channel.guildId ? { guild_id: channel.guildId } : {}) },
      intent,
    );
    return true;
  }

  /** Refuses a contradictory `allowed_mentions` with Discord's 400, before anything is stored. */
  checkAllowedMentions(data: { allowed_mentions?: unknown } | undefined): void {
    const invalid = allowedMentionsError(data?.allowed_mentions as AllowedMentions | undefined);
    if (invalid) throw httpError(400, 50035, `Invalid Form Body (${invalid})`);
  }

  /**
   * Works out who `message` notifies (mentions.ts), fills in its mention fields as Discord does, and records the
   * `allowed_mentions` it was sent with.
   */
  applyMentions(message: FakeMessage, allowed: AllowedMentions | undefined, interaction: boolean): void {
    this.checkAllowedMentions({ allowed_mentions: allowed });
    const channel = this.requireChannel(message.channel_id);
    const pings = pingsOf(message.content, allowed, { channel, interaction });
    message.mentions = pings.users.filter((id) => this.users.has(id)).map((id) => this.userJson(id));
    message.mention_roles = pings.roles;
    message.mention_everyone = pings.everyone;
    this.mentionLog.set(message.id, { ...(allowed ? { allowedMentions: allowed } : {}), pings });
  }

  /** A reply to an interaction; ephemeral ones are seen only by the user and are not stored in the channel. */
  interactionMessage(interaction: FakeInteraction, data: Record<string, unknown>): FakeMessage {
    this.checkAllowedMentions(data);
    const channel = this.requireChannel(interaction.channelId);
    const flags = Number(data.flags ?? 0);
    const message = newMessage(channel, this.botUser, {
      content: data.content as string | undefined,
      embeds: data.embeds as FakeMessage['embeds'] | undefined,
      components: data.components as unknown[] | undefined,
      flags,
    });
    Object.assign(message, { webhook_id: this.applicationId, application_id: this.applicationId });
    this.applyMentions(message, data.allowed_mentions as AllowedMentions | undefined, true);
    if ((flags & MessageFlags.Ephemeral) === 0) this.addMessage(message);
    return message;
  }

  // ---- fault injection ----

  /** The next request matching `method` and `path` fails with this status and Discord error code. */
  failNext(
    method: string,
    path: RegExp,
    failure: { status: number; code?: number; message?: string; retryAfter?: number },
  ): void {
    this.injected.push({ method, path, code: 0, message: 'injected failure', ...failure });
  }

  takeInjectedFailure(method: string, path: string) {
    const i = this.injected.findIndex((f) => f.method === method && f.path.test(path));
    return i < 0 ? undefined : this.injected.splice(i, 1)[0];
  }

  /**
   * The next request matching `method`, `path` (and `body`, when given) is carried out, but its answer never
   * reaches the client (the connection drops), as when a client times out or a worker dies after Discord acted.
   */
  loseNextAnswer(method: string, path: RegExp, body?: (body: Record<string, unknown>) => boolean): void {
    this.lostAnswers.push({ method, path, body });
  }

  takeLostAnswer(method: string, path: string, body: unknown): boolean {
    const i = this.lostAnswers.findIndex(
      (f) =>
        f.method === method &&
        f.path.test(path) &&
        (!f.body || f.body((body ?? {}) as Record<string, unknown>)),
    );
    if (i >= 0) this.lostAnswers.splice(i, 1);
    return i >= 0;
  }

  /**
   * Every request matching `method` and `path` from now on waits, unanswered, until `release()` (a slow Discord, or
   * one request stuck behind another). The client's own timeouts and retries are held too, so a test decides
   * exactly when the answer comes. `reached` resolves when the first such request has arrived.
   */
  holdRequests(method: string, path: RegExp): { reached: Promise<void>; release(): void } {
    let reached!: () => void;
    let release!: () => void;
    const hold = {
      method,
      path,
      reached: () => reached(),
      released: new Promise<void>((resolve) => (release = resolve)),
    };
    this.holds.push(hold);
    return {
      reached: new Promise<void>((resolve) => (reached = resolve)),
      release: () => {
        this.holds.splice(this.holds.indexOf(hold), 1);
        release();
      },
    };
  }

  /** Waits while a hold matches this request (see `holdRequests`). */
  async waitForHolds(method: string, path: string): Promise<void> {
    const hold = this.holds.find((h) => h.method === method && h.path.test(path));
    if (!hold) return;
    hold.reached();
    await hold.released;
  }

  /** Takes a permission away from the bot in one channel (a member overwrite), as a server admin might. */
  denyBotPermission(channelId: string, permission: bigint): void {
    const channel = this.requireChannel(channelId);
    const own = channel.overwrites.find((o) => o.id === this.botUser.id);
    const deny = (BigInt(own?.deny ?? '0') | permission).toString();
    const allow = (BigInt(own?.allow ?? '0') & ~permission).toString();
    channel.overwrites = [
      ...channel.overwrites.filter((o) => o.id !== this.botUser.id),
      { id: this.botUser.id, type: 1, allow, deny },
    ];
  }

  /** Throws Discord's 50013 unless the bot holds `permission` in the guild channel (DMs need none). */
  requireBotPermission(channel: FakeChannel, permission: bigint): void {
    if (!channel.guildId) return;
    const parent = isThread(channel) && channel.parentId ? this.channels.get(channel.parentId) : undefined;
    const perms = channelPermissions(this.requireGuild(channel.guildId), channel, parent, this.botUser.id);
    const needed = permission | PermissionFlagsBits.ViewChannel;
    if ((perms & needed) !== needed) throw httpError(403, 50013, 'Missing Permissions');
  }

  /**
   * Ends every gateway session with Invalid Session (not resumable): the bot must identify again, and Discord does
   * not replay what was dispatched in between.
   */
  invalidateGatewaySessions(): void {
    this.gateway.invalidateSessions();
  }

  // ---- playing users ----

  /** The user writes to the bot in their DM channel. */
  userSendsDm(userId: string, content: string, files: FakeFile[] = []): FakeMessage {
    const channel = this.dmChannelFor(userId);
    const message = newMessage(channel, this.users.get(userId)!, { content });
    message.attachments = files.map((f) => this.cdn.store(this.url, channel.id, f));
    this.addMessage(message);
    return message;
  }

  /** The user edits their own message. */
  userEditsMessage(message: FakeMessage, content: string): void {
    this.editStoredMessage(message, { content });
  }

  /** The user deletes their own message. */
  userDeletesMessage(message: FakeMessage): void {
    this.deleteStoredMessage(message.channel_id, message.id);
  }

  /** The user writes in a guild channel or thread. */
  userSendsInChannel(userId: string, channelId: string, content: string): FakeMessage {
    const message = newMessage(this.requireChannel(channelId), this.users.get(userId)!, { content });
    this.addMessage(message);
    return message;
  }

  runSlashCommand(
    userId: string,
    channelId: string,
    name: string,
    options: Record<string, string | number | boolean> = {},
    subcommand?: string,
  ): FakeInteraction {
    const channel = this.requireChannel(channelId);
    const scope = channel.guildId ?? 'global';
    const command = [...(this.commands.get(scope) ?? []), ...(this.commands.get('global') ?? [])].find(
      (c) => c.name === name,
    );
    const data = {
      id: command?.id ?? snowflake(),
      name,
      type: 1,
      ...(channel.guildId ? { guild_id: channel.guildId } : {}),
      options: this.commandOptions(options, subcommand),
    };
    return this.dispatchInteraction(InteractionType.ApplicationCommand, userId, channel, data);
  }

  private commandOptions(options: Record<string, string | number | boolean>, subcommand?: string): unknown[] {
    const flat = Object.entries(options).map(([optionName, value]) => ({
      name: optionName,
      type:
        typeof value === 'number'
          ? ApplicationCommandOptionType.Integer
          : typeof value === 'boolean'
            ? ApplicationCommandOptionType.Boolean
            : ApplicationCommandOptionType.String,
      value,
    }));
    return subcommand
      ? [{ name: subcommand, type: ApplicationCommandOptionType.Subcommand, options: flat }]
      : flat;
  }

  /** Submits a modal the bot showed, with the current Label-wrapped component format. */
  submitModal(
    userId: string,
    channelId: string,
    customId: string,
    fields: Record<string, string>,
  ): FakeInteraction {
    const components = Object.entries(fields).map(([fieldId, value], i) => ({
      type: ComponentType.Label,
      id: i * 2 + 1,
      component: { type: ComponentType.TextInput, id: i * 2 + 2, custom_id: fieldId, value },
    }));
    return this.dispatchInteraction(InteractionType.ModalSubmit, userId, this.requireChannel(channelId), {
      custom_id: customId,
      components,
    });
  }

  pressButton(userId: string, message: FakeMessage, customId: string): FakeInteraction {
    return this.dispatchInteraction(
      InteractionType.MessageComponent,
      userId,
      this.requireChannel(message.channel_id),
      { custom_id: customId, component_type: ComponentType.Button },
      message,
    );
  }

  /** The user picks `values` in a string select menu the bot posted on `message`. */
  chooseFromSelect(
    userId: string,
    message: FakeMessage,
    customId: string,
    values: string[],
  ): FakeInteraction {
    return this.dispatchInteraction(
      InteractionType.MessageComponent,
      userId,
      this.requireChannel(message.channel_id),
      { custom_id: customId, component_type: ComponentType.StringSelect, values },
      message,
    );
  }

  /** Waits until the bot answered the interaction with something the user can read (not just "thinking"). */
  async waitForReply(interaction: FakeInteraction, timeoutMs = 10_000): Promise<FakeInteraction> {
    await waitFor(
      () =>
        interaction.callback !== undefined &&
        (interaction.callback.type !== InteractionResponseType.DeferredChannelMessageWithSource ||
          interaction.original !== undefined),
      timeoutMs,
      `a reply to interaction ${interaction.id}`,
    );
    return interaction;
  }

  async waitForMessage(
    channelId: string,
    predicate: (m: FakeMessage) => boolean,
    timeoutMs = 10_000,
  ): Promise<FakeMessage> {
    let found: FakeMessage | undefined;
    await waitFor(
      () => (found = this.messagesIn(channelId).find(predicate)) !== undefined,
      timeoutMs,
      `a message in ${channelId}`,
    );
    return found!;
  }

  /** Text of an interaction's visible answer (content plus embed titles/descriptions). */
  static replyText(interaction: FakeInteraction): string {
    const m = interaction.original ?? (interaction.callback?.data as FakeMessage | undefined);
    if (!m) return '';
    return [m.content ?? '', ...(m.embeds ?? []).flatMap((e) => [e.title ?? '', e.description ?? ''])].join(
      '\n',
    );
  }

  // ---- internals ----

  private dispatchInteraction(
    type: InteractionType,
    userId: string,
    channel: FakeChannel,
    data: unknown,
    message?: FakeMessage,
  ): FakeInteraction {
    const interaction: FakeInteraction = {
      id: snowflake(),
      token: `itoken-${snowflake()}`,
      type,
      userId,
      guildId: channel.guildId,
      channelId: channel.id,
      dispatchedAt: Date.now(),
      followUps: [],
      message,
    };
    this.interactions.set(interaction.id, interaction);
    const guild = channel.guildId ? this.guilds.get(channel.guildId) : undefined;
    const member = guild?.members.get(userId);
    const permissions = member?.admin ? EVERYONE_PERMISSIONS | ADMINISTRATOR : EVERYONE_PERMISSIONS;
    const payload = {
      id: interaction.id,
      application_id: this.applicationId,
      type,
      data,
      token: interaction.token,
      version: 1,
      channel_id: channel.id,
      channel: { ...this.channelJson(channel.id), ...(channel.guildId ? { guild_id: channel.guildId } : {}) },
      app_permissions: String(EVERYONE_PERMISSIONS),
      locale: this.users.get(userId)?.locale ?? 'en-US',
      entitlements: [],
      attachment_size_limit: 10_485_760,
      ...(message ? { message } : {}),
      ...(guild
        ? {
            guild_id: guild.id,
            guild: { id: guild.id, features: [], locale: guild.preferredLocale ?? 'en-US' },
            guild_locale: guild.preferredLocale ?? 'en-US',
            member: { ...this.memberJson(guild.id, userId), permissions: String(permissions) },
            authorizing_integration_owners: { '0': guild.id },
            context: 0,
          }
        : { user: this.userJson(userId), authorizing_integration_owners: { '1': userId }, context: 1 }),
    };
    this.gateway.dispatch(GatewayDispatchEvents.InteractionCreate, payload);
    return interaction;
  }

  private identify(session: GatewaySession): { ready: unknown; guilds: unknown[] } {
    const guilds = [...this.guilds.values()];
    return {
      ready: {
        v: 10,
        user: { ...this.userJson(this.botUser.id), verified: true, mfa_enabled: false },
        guilds: guilds.map((g) => ({ id: g.id, unavailable: true })),
        session_id: session.id,
        resume_gateway_url: this.gatewayUrl,
        shard: [0, 1],
        application: { id: this.applicationId, flags: this.applicationFlags() },
      },
      guilds: guilds.map((g) => this.guildCreate(g)),
    };
  }

  private guildCreate(g: FakeGuild): unknown {
    return {
      id: g.id,
      name: g.name,
      icon: null,
      owner_id: g.ownerId,
      afk_channel_id: null,
      afk_timeout: 300,
      verification_level: 0,
      default_message_notifications: 0,
      explicit_content_filter: 0,
      roles: g.roles.map((r, position) => ({
        id: r.id,
        name: r.name,
        color: 0,
        hoist: false,
        icon: null,
        unicode_emoji: null,
        position,
        permissions: String(EVERYONE_PERMISSIONS),
        managed: false,
        mentionable: false,
        flags: 0,
      })),
      emojis: [],
      stickers: [],
      features: [],
      mfa_level: 0,
      application_id: null,
      system_channel_id: null,
      system_channel_flags: 0,
      rules_channel_id: null,
      vanity_url_code: null,
      description: null,
      banner: null,
      premium_tier: 0,
      preferred_locale: g.preferredLocale ?? 'en-US',
      public_updates_channel_id: null,
      nsfw_level: 0,
      premium_progress_bar_enabled: false,
      joined_at: new Date(0).toISOString(),
      large: false,
      unavailable: false,
      member_count: g.members.size,
      voice_states: [],
      members: [this.memberJson(g.id, this.botUser.id)],
      channels: this.guildChannels(g.id).map((c) => this.channelJson(c.id)),
      threads: [],
      presences: [],
      stage_instances: [],
      guild_scheduled_events: [],
    };
  }
}

function httpError(status: number, code: number, message: string): Error {
  return new DiscordHttpError(status, code, message);
}

export async function waitFor(check: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}
