import express, { type NextFunction, type Request, type Response } from 'express';
import {
  ChannelType,
  InteractionResponseType,
  MessageFlags,
  PermissionFlagsBits,
  type APIEmbed,
} from 'discord-api-types/v10';
import { type FakeDiscord } from './fake-discord';
import { DiscordHttpError } from './http-error';
import { messageLimitError } from './limits';
import { type AllowedMentions } from './mentions';
import { type FakeMessage, newChannel, newMessage } from './model';
import { isThread } from './permissions';
import { snowflake } from './snowflake';

type Handler = (
  req: Request,
) => { status: number; body?: unknown } | Promise<{ status: number; body?: unknown }>;

/** REST v10: the subset flexcord uses, every JSON body checked against the OpenAPI spec. */
export function createRestRouter(fake: FakeDiscord): express.Router {
  const router = express.Router();
  router.use(express.json({ limit: '1mb' }));
  // @discordjs/rest percent-encodes the `@` of `@original`; Discord accepts both spellings.
  router.use((req, _res, next) => {
    req.url = req.url.replace('/messages/%40original', '/messages/@original');
    next();
  });

  const route = (
    method: 'get' | 'post' | 'put' | 'patch' | 'delete',
    path: string,
    template: string,
    opts: { auth?: boolean; checkRequest?: boolean },
    handler: Handler,
  ) => {
    router[method](path, async (req: Request, res: Response, next: NextFunction) => {
      try {
        fake.requestLog.push({ method: method.toUpperCase(), path: req.path, body: req.body as unknown });
        if (opts.auth !== false && req.get('authorization') !== `Bot ${fake.token}`) {
          throw new DiscordHttpError(401, 0, '401: Unauthorized');
        }
        if (fake.outage) return sendError(res, method, template, 503, 0, 'Service Unavailable');
        const chaos = fake.randomFaults?.next();
        if (chaos === 'rate_limited')
          return sendError(res, method, template, 429, 0, 'You are being rate limited.', 1);
        if (chaos === 'server_error')
          return sendError(res, method, template, 500, 0, 'Internal Server Error');
        if (chaos === 'no_answer') return res.socket?.destroy();
        await fake.waitForHolds(method.toUpperCase(), req.path);
        const injected = fake.takeInjectedFailure(method.toUpperCase(), req.path);
        if (injected)
          return sendError(
            res,
            method,
            template,
            injected.status,
            injected.code,
            injected.message,
            injected.retryAfter,
          );
        // Interaction endpoints (no bot token) are not bound to the global limit.
        const limited =
          (opts.auth !== false ? fake.rateLimiter.takeGlobal() : undefined) ??
          fake.rateLimiter.take(method, template, req.params);
        if (limited) {
          res.set(limited.headers);
          if (limited.retryAfter !== undefined)
            return sendError(
              res,
              method,
              template,
              429,
              0,
              'You are being rate limited.',
              limited.retryAfter,
              limited.scope === 'global',
            );
        }
        if (opts.checkRequest && req.body && Object.keys(req.body as object).length > 0) {
          fake.checker.checkRequest(method, template, req.body);
        }
        const out = await handler(req);
        // Discord acted, but the client never hears back (a timeout, a dropped connection).
        if (fake.takeLostAnswer(method.toUpperCase(), req.path, req.body) || chaos === 'answer_lost')
          return res.socket?.destroy();
        if (out.body === undefined) return res.status(out.status).end();
        fake.checker.checkResponse(method, template, out.status, out.body);
        res.status(out.status).json(out.body);
      } catch (err) {
        if (err instanceof DiscordHttpError)
          return sendError(res, method, template, err.status, err.code, err.message);
        next(err);
      }
    });
  };

  const sendError = (
    res: Response,
    method: string,
    template: string,
    status: number,
    code: number,
    message: string,
    retryAfter?: number,
    global = false,
  ) => {
    if (status === 429) {
      const body = { message, retry_after: retryAfter ?? 1, global, code: 0 };
      fake.checker.checkSchema(`${method} ${template} 429`, 'RatelimitedResponse', body);
      res.set('Retry-After', String(Math.ceil(retryAfter ?? 1)));
      return res.status(429).json(body);
    }
    const body = { code, message };
    fake.checker.checkSchema(`${method} ${template} ${status}`, 'ErrorResponse', body);
    return res.status(status).json(body);
  };

  route('get', '/gateway/bot', '/gateway/bot', {}, () => ({
    status: 200,
    body: {
      url: fake.gatewayUrl,
      shards: 1,
      session_start_limit: { total: 1000, remaining: 999, reset_after: 14_400_000, max_concurrency: 1 },
    },
  }));

  route('get', '/users/@me', '/users/@me', {}, () => ({
    status: 200,
    body: { ...fake.userJson(fake.botUser.id), mfa_enabled: false, locale: 'en-US', verified: true },
  }));

  route('get', '/users/@me/guilds', '/users/@me/guilds', {}, () => ({
    status: 200,
    body: [...fake.guilds.values()]
      .filter((g) => g.members.has(fake.botUser.id))
      .map((g) => fake.myGuildJson(g)),
  }));

  route('get', '/applications/@me', '/applications/@me', {}, () => ({
    status: 200,
    body: fake.applicationJson(),
  }));

  route('post', '/users/@me/channels', '/users/@me/channels', { checkRequest: true }, (req) => {
    const recipientId = String((req.body as { recipient_id?: string }).recipient_id ?? '');
    if (!fake.users.has(recipientId)) throw new DiscordHttpError(400, 50033, 'Invalid Recipient(s)');
    return { status: 200, body: fake.channelJson(fake.dmChannelFor(recipientId).id) };
  });

  route('get', '/channels/:channelId', '/channels/{channel_id}', {}, (req) => ({
    status: 200,
    body: fake.channelJson(fake.requireChannel(String(req.params.channelId)).id),
  }));

  route('patch', '/channels/:channelId', '/channels/{channel_id}', { checkRequest: true }, (req) => {
    const channel = fake.requireChannel(String(req.params.channelId));
    const body = req.body as {
      name?: string;
      topic?: string;
      type?: number;
      permission_overwrites?: typeof channel.overwrites;
      parent_id?: string;
    };
    if (body.name !== undefined) channel.name = body.name;
    if (body.topic !== undefined) channel.topic = body.topic;
    if (body.type !== undefined) channel.type = body.type;
    if (body.permission_overwrites) channel.overwrites = body.permission_overwrites.map(normaliseOverwrite);
    return { status: 200, body: fake.channelJson(channel.id) };
  });

  route(
    'put',
    '/channels/:channelId/permissions/:overwriteId',
    '/channels/{channel_id}/permissions/{overwrite_id}',
    {},
    (req) => {
      const channel = fake.requireChannel(String(req.params.channelId));
      const id = String(req.params.overwriteId);
      const body = req.body as { type?: number; allow?: string; deny?: string };
      channel.overwrites = channel.overwrites.filter((o) => o.id !== id);
      channel.overwrites.push(
        normaliseOverwrite({ id, type: body.type ?? 0, allow: body.allow ?? '0', deny: body.deny ?? '0' }),
      );
      return { status: 204 };
    },
  );

  route('get', '/channels/:channelId/messages', '/channels/{channel_id}/messages', {}, (req) => {
    const channel = fake.requireChannel(String(req.params.channelId));
    fake.requireBotPermission(channel, PermissionFlagsBits.ReadMessageHistory);
    const query = req.query as { after?: string; before?: string; limit?: string };
    const limit = Math.min(100, Math.max(1, Number(query.limit ?? 50) || 50));
    const all = fake.messagesIn(channel.id);
    // Discord answers newest first; with `after` it gives the `limit` messages right after that id.
    let page: FakeMessage[];
    if (query.after !== undefined) {
      const after = BigInt(query.after);
      page = all.filter((m) => BigInt(m.id) > after).slice(0, limit);
    } else {
      const before = query.before === undefined ? undefined : BigInt(query.before);
      page = all.filter((m) => before === undefined || BigInt(m.id) < before).slice(-limit);
    }
    // A message's nonce is echoed only when it is created, never when it is read back.
    return { status: 200, body: page.reverse().map(({ nonce: _nonce, ...m }) => m) };
  });

  route(
    'post',
    '/channels/:channelId/messages',
    '/channels/{channel_id}/messages',
    { checkRequest: true },
    (req) => {
      const channel = fake.requireChannel(String(req.params.channelId));
      const body = req.body as {
        content?: string;
        embeds?: APIEmbed[];
        components?: unknown[];
        nonce?: string | number;
        enforce_nonce?: boolean;
        flags?: number;
        allowed_mentions?: AllowedMentions;
      };
      const tooLong = messageLimitError(body);
      if (tooLong) throw new DiscordHttpError(400, 50035, `Invalid Form Body (${tooLong})`);
      if (!body.content && !body.embeds?.length && !body.components?.length)
        throw new DiscordHttpError(400, 50006, 'Cannot send an empty message');
      if (channel.type === ChannelType.DM && fake.users.get(channel.recipientId ?? '')?.dmsClosed) {
        throw new DiscordHttpError(403, 50007, 'Cannot send messages to this user');
      }
      fake.requireBotPermission(
        channel,
        isThread(channel) ? PermissionFlagsBits.SendMessagesInThreads : PermissionFlagsBits.SendMessages,
      );
      const nonce = body.nonce === undefined ? undefined : String(body.nonce);
      if (nonce !== undefined && body.enforce_nonce) {
        // Only "in the past few minutes": after the window the same nonce posts a second message.
        const since = fake.now() - fake.nonceWindowMs;
        const earlier = fake
          .messagesIn(channel.id)
          .find(
            (m) => m.nonce === nonce && m.author.id === fake.botUser.id && Date.parse(m.timestamp) >= since,
          );
        if (earlier) return { status: 200, body: earlier };
      }
      const message = newMessage(channel, fake.botUser, { ...body, nonce }, fake.now());
      fake.applyMentions(message, body.allowed_mentions, false);
      fake.addMessage(message);
      return { status: 200, body: message };
    },
  );

  route(
    'patch',
    '/channels/:channelId/messages/:messageId',
    '/channels/{channel_id}/messages/{message_id}',
    { checkRequest: true },
    (req) => {
      const channel = fake.requireChannel(String(req.params.channelId));
      const message = fake.messagesIn(channel.id).find((m) => m.id === req.params.messageId);
      if (!message) throw new DiscordHttpError(404, 10008, 'Unknown Message');
      if (message.author.id !== fake.botUser.id)
        throw new DiscordHttpError(403, 50005, 'Cannot edit a message authored by another user');
      const body = req.body as { content?: string; embeds?: APIEmbed[]; components?: unknown[] };
      const tooLong = messageLimitError(body);
      if (tooLong) throw new DiscordHttpError(400, 50035, `Invalid Form Body (${tooLong})`);
      const fields = newMessage(channel, fake.botUser, {
        content: body.content ?? message.content,
        embeds: body.embeds ?? message.embeds,
        components: body.components ?? (message.components as unknown[]),
      });
      fake.editStoredMessage(message, {
        content: fields.content,
        embeds: fields.embeds,
        components: fields.components,
      });
      return { status: 200, body: message };
    },
  );

  route(
    'delete',
    '/channels/:channelId/messages/:messageId',
    '/channels/{channel_id}/messages/{message_id}',
    {},
    (req) => {
      const channel = fake.requireChannel(String(req.params.channelId));
      const message = fake.messagesIn(channel.id).find((m) => m.id === req.params.messageId);
      if (!message) throw new DiscordHttpError(404, 10008, 'Unknown Message');
      // The bot may delete its own messages anywhere; others' only with Manage Messages, which flexcord never needs.
      if (message.author.id !== fake.botUser.id)
        throw new DiscordHttpError(403, 50013, 'Missing Permissions');
      fake.deleteStoredMessage(channel.id, message.id);
      return { status: 204 };
    },
  );

  route(
    'post',
    '/channels/:channelId/messages/:messageId/crosspost',
    '/channels/{channel_id}/messages/{message_id}/crosspost',
    {},
    (req) => {
      const channel = fake.requireChannel(String(req.params.channelId));
      fake.requireBotPermission(channel, PermissionFlagsBits.SendMessages);
      if (channel.type !== ChannelType.GuildAnnouncement)
        throw new DiscordHttpError(400, 40033, 'This message has already been crossposted.');
      const message = fake.messagesIn(channel.id).find((m) => m.id === req.params.messageId);
      if (!message) throw new DiscordHttpError(404, 10008, 'Unknown Message');
      message.flags = (message.flags ?? 0) | MessageFlags.Crossposted;
      return { status: 200, body: message };
    },
  );

  route(
    'post',
    '/channels/:channelId/threads',
    '/channels/{channel_id}/threads',
    { checkRequest: true },
    (req) => {
      const parent = fake.requireChannel(String(req.params.channelId));
      const body = req.body as { name?: string; type?: number; invitable?: boolean };
      fake.requireBotPermission(
        parent,
        body.type === ChannelType.PublicThread
          ? PermissionFlagsBits.CreatePublicThreads
          : PermissionFlagsBits.CreatePrivateThreads,
      );
      if (!body.name) throw new DiscordHttpError(400, 50035, 'Invalid Form Body (name)');
      const thread = newChannel({
        type: body.type ?? ChannelType.PrivateThread,
        guildId: parent.guildId,
        parentId: parent.id,
        name: body.name,
        ownerId: fake.botUser.id,
      });
      thread.threadMembers.add(fake.botUser.id);
      fake.addChannel(thread);
      return {
        status: 201,
        body: {
          ...fake.channelJson(thread.id),
          member: { id: thread.id, user_id: fake.botUser.id, join_timestamp: thread.createdAt, flags: 0 },
        },
      };
    },
  );

  route(
    'put',
    '/channels/:channelId/thread-members/:userId',
    '/channels/{channel_id}/thread-members/{user_id}',
    {},
    (req) => {
      const thread = fake.requireChannel(String(req.params.channelId));
      if (!fake.users.has(String(req.params.userId))) throw new DiscordHttpError(404, 10013, 'Unknown User');
      thread.threadMembers.add(String(req.params.userId));
      return { status: 204 };
    },
  );

  route('get', '/guilds/:guildId/channels', '/guilds/{guild_id}/channels', {}, (req) => {
    const guild = fake.requireGuild(String(req.params.guildId));
    return { status: 200, body: fake.guildChannels(guild.id).map((c) => fake.channelJson(c.id)) };
  });

  route('post', '/guilds/:guildId/channels', '/guilds/{guild_id}/channels', { checkRequest: true }, (req) => {
    const guild = fake.requireGuild(String(req.params.guildId));
    const body = req.body as {
      name: string;
      type?: number;
      topic?: string;
      permission_overwrites?: { id: string; type: number; allow?: string; deny?: string }[];
    };
    const channel = newChannel({
      type: body.type ?? ChannelType.GuildText,
      guildId: guild.id,
      name: body.name,
      topic: body.topic,
      position: fake.guildChannels(guild.id).length,
      overwrites: (body.permission_overwrites ?? []).map(normaliseOverwrite),
    });
    fake.addChannel(channel);
    return { status: 201, body: fake.channelJson(channel.id) };
  });

  route('get', '/guilds/:guildId/threads/active', '/guilds/{guild_id}/threads/active', {}, (req) => {
    const guild = fake.requireGuild(String(req.params.guildId));
    const threads = [...fake.channels.values()].filter(
      (c) =>
        c.guildId === guild.id &&
        (c.type === ChannelType.PrivateThread || c.type === ChannelType.PublicThread),
    );
    return {
      status: 200,
      body: { threads: threads.map((t) => fake.channelJson(t.id)), members: [], has_more: false },
    };
  });

  route('get', '/guilds/:guildId/members/:userId', '/guilds/{guild_id}/members/{user_id}', {}, (req) => {
    const guild = fake.requireGuild(String(req.params.guildId));
    const member = guild.members.get(String(req.params.userId));
    if (!member) throw new DiscordHttpError(404, 10007, 'Unknown Member');
    return { status: 200, body: fake.memberJson(guild.id, member.userId) };
  });

  for (const [path, template] of [
    ['/applications/:appId/commands', '/applications/{application_id}/commands'],
    [
      '/applications/:appId/guilds/:guildId/commands',
      '/applications/{application_id}/guilds/{guild_id}/commands',
    ],
  ] as const) {
    route('put', path, template, {}, (req) => {
      if (req.params.appId !== fake.applicationId) throw new DiscordHttpError(403, 50001, 'Missing Access');
      const scope = req.params.guildId ? String(req.params.guildId) : 'global';
      const commands = (
        req.body as {
          name: string;
          description?: string;
          type?: number;
          options?: unknown[];
          default_member_permissions?: string | null;
          contexts?: number[];
        }[]
      ).map((c) => ({
        id: fake.commands.get(scope)?.find((old) => old.name === c.name)?.id ?? snowflake(),
        application_id: fake.applicationId,
        version: snowflake(),
        default_member_permissions: c.default_member_permissions ?? null,
        type: c.type ?? 1,
        name: c.name,
        description: c.description ?? '',
        ...(c.options ? { options: c.options } : {}),
        ...(c.contexts ? { contexts: c.contexts } : {}),
        ...(req.params.guildId ? { guild_id: String(req.params.guildId) } : {}),
      }));
      fake.commands.set(scope, commands);
      return { status: 200, body: commands };
    });
    route('get', path, template, {}, (req) => ({
      status: 200,
      body: fake.commands.get(req.params.guildId ? String(req.params.guildId) : 'global') ?? [],
    }));
  }

  route(
    'post',
    '/interactions/:interactionId/:token/callback',
    '/interactions/{interaction_id}/{interaction_token}/callback',
    { auth: false, checkRequest: true },
    (req) => {
      const interaction = fake.interactions.get(String(req.params.interactionId));
      if (!interaction || interaction.token !== req.params.token)
        throw new DiscordHttpError(404, 10062, 'Unknown interaction');
      if (interaction.callback)
        throw new DiscordHttpError(400, 40060, 'Interaction has already been acknowledged.');
      if (Date.now() - interaction.dispatchedAt > fake.interactionDeadlineMs) {
        interaction.missedDeadline = true;
        throw new DiscordHttpError(404, 10062, 'Unknown interaction');
      }
      const body = req.body as { type: InteractionResponseType; data?: Record<string, unknown> };
      fake.checkAllowedMentions(body.data);
      interaction.callback = { type: body.type, data: body.data, at: Date.now() };
      if (body.type === InteractionResponseType.ChannelMessageWithSource) {
        interaction.original = fake.interactionMessage(interaction, body.data ?? {});
      } else if (body.type === InteractionResponseType.DeferredChannelMessageWithSource) {
        interaction.deferredFlags = Number(body.data?.flags ?? 0);
      } else if (body.type === InteractionResponseType.UpdateMessage && interaction.message) {
        Object.assign(interaction.message, pickMessageFields(body.data ?? {}));
        fake.applyMentions(interaction.message, allowedMentionsIn(body.data), true);
      }
      if (req.query.with_response !== 'true') return { status: 204 };
      return {
        status: 200,
        body: {
          interaction: {
            id: interaction.id,
            type: interaction.type,
            response_message_loading: body.type === InteractionResponseType.DeferredChannelMessageWithSource,
            response_message_ephemeral:
              ((interaction.deferredFlags ?? Number(body.data?.flags ?? 0)) & MessageFlags.Ephemeral) !== 0,
          },
          ...(interaction.original ? { resource: { type: body.type, message: interaction.original } } : {}),
        },
      };
    },
  );

  const findByToken = (token: string) => {
    const interaction = [...fake.interactions.values()].find((i) => i.token === token);
    if (!interaction) throw new DiscordHttpError(404, 10015, 'Unknown Webhook');
    return interaction;
  };

  route(
    'patch',
    '/webhooks/:appId/:token/messages/@original',
    '/webhooks/{webhook_id}/{webhook_token}/messages/@original',
    { auth: false, checkRequest: true },
    (req) => {
      const interaction = findByToken(String(req.params.token));
      if (!interaction.callback) throw new DiscordHttpError(404, 10008, 'Unknown Message');
      const data = req.body as Record<string, unknown>;
      const tooLong = messageLimitError(data);
      if (tooLong) throw new DiscordHttpError(400, 50035, `Invalid Form Body (${tooLong})`);
      fake.checkAllowedMentions(data);
      if (
        interaction.callback.type === InteractionResponseType.UpdateMessage ||
        interaction.callback.type === InteractionResponseType.DeferredMessageUpdate
      ) {
        if (!interaction.message) throw new DiscordHttpError(404, 10008, 'Unknown Message');
        Object.assign(interaction.message, pickMessageFields(data));
        fake.applyMentions(interaction.message, allowedMentionsIn(data), true);
        return { status: 200, body: interaction.message };
      }
      if (!interaction.original) {
        interaction.original = fake.interactionMessage(interaction, {
          ...data,
          flags: interaction.deferredFlags ?? 0,
        });
      } else {
        Object.assign(interaction.original, pickMessageFields(data));
        fake.applyMentions(interaction.original, allowedMentionsIn(data), true);
      }
      return { status: 200, body: interaction.original };
    },
  );

  route(
    'get',
    '/webhooks/:appId/:token/messages/@original',
    '/webhooks/{webhook_id}/{webhook_token}/messages/@original',
    { auth: false },
    (req) => {
      const interaction = findByToken(String(req.params.token));
      if (!interaction.original) throw new DiscordHttpError(404, 10008, 'Unknown Message');
      return { status: 200, body: interaction.original };
    },
  );

  route(
    'post',
    '/webhooks/:appId/:token',
    '/webhooks/{webhook_id}/{webhook_token}',
    { auth: false },
    (req) => {
      const interaction = findByToken(String(req.params.token));
      const data = req.body as Record<string, unknown>;
      const tooLong = messageLimitError(data);
      if (tooLong) throw new DiscordHttpError(400, 50035, `Invalid Form Body (${tooLong})`);
      const message = fake.interactionMessage(interaction, data);
      interaction.followUps.push(message);
      return { status: 200, body: message };
    },
  );

  router.use((req: Request, res: Response) => {
    fake.unhandled.push(`${req.method} ${req.path}`);
    res.status(404).json({ code: 0, message: '404: Not Found' });
  });
  return router;
}

function allowedMentionsIn(data: Record<string, unknown> | undefined): AllowedMentions | undefined {
  return data?.allowed_mentions as AllowedMentions | undefined;
}

function pickMessageFields(data: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const key of ['content', 'embeds', 'components'] as const)
    if (data[key] !== undefined) out[key] = data[key];
  return out;
}

function normaliseOverwrite(o: { id: string; type: number; allow?: string; deny?: string }) {
  return { id: o.id, type: o.type, allow: String(o.allow ?? '0'), deny: String(o.deny ?? '0') };
}
