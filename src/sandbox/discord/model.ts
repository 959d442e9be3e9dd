import {
  type APIEmbed,
  type APIMessage,
  type APIUser,
  ChannelType,
  ComponentType,
  EmbedType,
  type APIOverwrite,
} from 'discord-api-types/v10';
import { snowflake } from './snowflake';

/*
 * The fake's world: users, guilds, channels and messages, and how each looks on the wire. Shapes follow
 * discord-api-types; the REST layer checks them against Discord's OpenAPI spec as well.
 */

export interface FakeUser {
  id: string;
  username: string;
  bot: boolean;
  /** The user's privacy setting "allow DMs from server members" is off: DMs from the bot answer 50007. */
  dmsClosed: boolean;
  /** The language of the user's Discord client, sent with their interactions (default `en-US`). */
  locale?: string;
}

export interface FakeMember {
  userId: string;
  roles: string[];
  admin: boolean;
}

export interface FakeGuild {
  id: string;
  name: string;
  ownerId: string;
  members: Map<string, FakeMember>;
  roles: { id: string; name: string }[];
  /** The server's "primary language" (default `en-US`). */
  preferredLocale?: string;
}

export interface FakeChannel {
  id: string;
  type: ChannelType;
  guildId?: string;
  name?: string;
  parentId?: string;
  topic?: string;
  position: number;
  /** DM recipient (the other user). */
  recipientId?: string;
  ownerId?: string;
  threadMembers: Set<string>;
  overwrites: APIOverwrite[];
  createdAt: string;
}

export type FakeMessage = APIMessage & { guild_id?: string };

export function userJson(u: FakeUser): Omit<APIUser, 'flags' | 'public_flags'> & {
  flags: number;
  public_flags: number;
  primary_guild: null;
} {
  return {
    id: u.id,
    username: u.username,
    avatar: null,
    discriminator: '0',
    public_flags: 0,
    flags: 0,
    global_name: u.username,
    primary_guild: null,
    ...(u.bot ? { bot: true } : {}),
  };
}

export function channelJson(
  c: FakeChannel,
  users: Map<string, FakeUser>,
  messageCount = 0,
): Record<string, unknown> {
  if (c.type === ChannelType.DM) {
    const recipient = users.get(c.recipientId ?? '');
    return {
      id: c.id,
      type: c.type,
      flags: 0,
      last_message_id: null,
      recipients: recipient ? [userJson(recipient)] : [],
    };
  }
  if (c.type === ChannelType.PrivateThread || c.type === ChannelType.PublicThread) {
    return {
      id: c.id,
      type: c.type,
      flags: 0,
      guild_id: c.guildId,
      parent_id: c.parentId,
      name: c.name,
      owner_id: c.ownerId,
      last_message_id: null,
      rate_limit_per_user: 0,
      message_count: messageCount,
      member_count: c.threadMembers.size,
      total_message_sent: messageCount,
      thread_metadata: {
        archived: false,
        archive_timestamp: c.createdAt,
        auto_archive_duration: 1440,
        locked: false,
        invitable: false,
        create_timestamp: c.createdAt,
      },
    };
  }
  return {
    id: c.id,
    type: c.type,
    flags: 0,
    guild_id: c.guildId,
    name: c.name,
    position: c.position,
    parent_id: c.parentId ?? null,
    topic: c.topic ?? null,
    nsfw: false,
    rate_limit_per_user: 0,
    last_message_id: null,
    permission_overwrites: c.overwrites,
  };
}

export function newChannel(fields: Partial<FakeChannel> & Pick<FakeChannel, 'type'>): FakeChannel {
  return {
    id: snowflake(),
    position: 0,
    threadMembers: new Set(),
    overwrites: [],
    createdAt: new Date().toISOString(),
    ...fields,
  };
}

export function newMessage(
  channel: FakeChannel,
  author: FakeUser,
  fields: { content?: string; embeds?: APIEmbed[]; components?: unknown[]; flags?: number; nonce?: string },
  at: number = Date.now(),
): FakeMessage {
  return {
    id: snowflake(),
    channel_id: channel.id,
    type: 0,
    content: fields.content ?? '',
    author: userJson(author),
    attachments: [],
    embeds: (fields.embeds ?? []).map((e) => ({
      type: EmbedType.Rich,
      ...e,
      // Discord answers every field with an explicit `inline`.
      ...(e.fields ? { fields: e.fields.map((f) => ({ inline: false, ...f })) } : {}),
    })),
    components: numberComponents(fields.components ?? []) as APIMessage['components'],
    mentions: [],
    mention_roles: [],
    pinned: false,
    mention_everyone: false,
    tts: false,
    timestamp: new Date(at).toISOString(),
    edited_timestamp: null,
    flags: fields.flags ?? 0,
    ...(fields.nonce !== undefined ? { nonce: fields.nonce } : {}),
    ...(channel.guildId ? { guild_id: channel.guildId } : {}),
  };
}

/**
 * Discord gives every component in a message a sequential numeric `id` when the sender leaves it out, and a select
 * menu its default `min_values` and `max_values` (1).
 */
export function numberComponents(components: unknown[]): unknown[] {
  let next = 1;
  const visit = (c: unknown): unknown => {
    if (typeof c !== 'object' || c === null) return c;
    const out: Record<string, unknown> = { ...(c as Record<string, unknown>) };
    if (out.type === ComponentType.StringSelect) {
      out.min_values ??= 1;
      out.max_values ??= 1;
    }
    out.id ??= next;
    next = Math.max(next, Number(out.id)) + 1;
    if (Array.isArray(out.components)) out.components = out.components.map(visit);
    return out;
  };
  return components.map(visit);
}
