import { type REST } from '@discordjs/rest';
import {
  type APIChannel,
  type APIGuildChannel,
  type APIOverwrite,
  ChannelType,
  OverwriteType,
  PermissionFlagsBits,
  Routes,
} from 'discord-api-types/v10';

export interface SetupChannelsOptions {
  guildId: string;
  botUserId: string;
  staffRoleId?: string;
  names: {
    announcements: string;
    bugReports: string;
    featureRequests: string;
    support: string;
    staff: string;
  };
}

export interface SetupChannelsResult {
  created: string[];
  repaired: string[];
  unchanged: string[];
}

const p = (...flags: bigint[]) => flags.reduce((a, b) => a | b, 0n).toString();

/**
 * Announcements: everyone reads, only staff and the bot post. Staff (follow-up reminders): hidden from everyone but
 * the staff role and the bot. Other channels: staff may manage support threads.
 */
function overwritesFor(kind: ChannelKind, o: SetupChannelsOptions): APIOverwrite[] {
  const posters = [o.botUserId, ...(o.staffRoleId ? [o.staffRoleId] : [])];
  const post = p(PermissionFlagsBits.ViewChannel, PermissionFlagsBits.SendMessages);
  if (kind === 'staff') {
    return [
      { id: o.guildId, type: OverwriteType.Role, allow: '0', deny: p(PermissionFlagsBits.ViewChannel) },
      {
        id: o.botUserId,
        type: OverwriteType.Member,
        allow: p(
          PermissionFlagsBits.ViewChannel,
          PermissionFlagsBits.SendMessages,
          PermissionFlagsBits.EmbedLinks,
        ),
        deny: '0',
      },
      ...(o.staffRoleId ? [{ id: o.staffRoleId, type: OverwriteType.Role, allow: post, deny: '0' }] : []),
    ];
  }
  if (kind === 'announcements') {
    return [
      {
        id: o.guildId,
        type: OverwriteType.Role,
        allow: p(PermissionFlagsBits.ViewChannel),
        deny: p(
          PermissionFlagsBits.SendMessages,
          PermissionFlagsBits.SendMessagesInThreads,
          PermissionFlagsBits.CreatePublicThreads,
        ),
      },
      ...posters.map((id) => ({
        id,
        type: id === o.botUserId ? OverwriteType.Member : OverwriteType.Role,
        allow: post,
        deny: '0',
      })),
    ];
  }
  const bot: APIOverwrite = {
    id: o.botUserId,
    type: OverwriteType.Member,
    allow: p(
      PermissionFlagsBits.ViewChannel,
      PermissionFlagsBits.SendMessages,
      PermissionFlagsBits.CreatePrivateThreads,
      PermissionFlagsBits.SendMessagesInThreads,
      PermissionFlagsBits.ManageThreads,
      PermissionFlagsBits.EmbedLinks,
    ),
    deny: '0',
  };
  const staff: APIOverwrite[] = o.staffRoleId
    ? [
        {
          id: o.staffRoleId,
          type: OverwriteType.Role,
          allow: p(
            PermissionFlagsBits.ViewChannel,
            PermissionFlagsBits.SendMessages,
            PermissionFlagsBits.ManageThreads,
          ),
          deny: '0',
        },
      ]
    : [];
  return [bot, ...staff];
}

/** The wanted overwrites a channel lacks (each compared whole: id, type, allow and deny). */
const missingOverwrites = (current: APIOverwrite[], wanted: APIOverwrite[]) => {
  const key = (o: APIOverwrite) => `${o.id}:${o.type}:${o.allow}:${o.deny}`;
  const have = new Set(current.map(key));
  return wanted.filter((o) => !have.has(key(o)));
};

export type ChannelKind = keyof SetupChannelsOptions['names'];

/** What `setup-channels` would do for one channel. */
export type ChannelPlan =
  | { kind: ChannelKind; name: string; action: 'create'; type: ChannelType; overwrites: APIOverwrite[] }
  | {
      kind: ChannelKind;
      name: string;
      action: 'repair';
      channelId: string;
      /** Every overwrite flexcord sets on the channel, and the ones it lacks now. */
      overwrites: APIOverwrite[];
      missing: APIOverwrite[];
    }
  | { kind: ChannelKind; name: string; action: 'none'; channelId: string };

/**
 * Compares the guild's channels with what flexcord needs, changing nothing: `setup-channels` carries the plan out,
 * `doctor` reports it.
 */
export function planChannelSetup(existing: APIChannel[], o: SetupChannelsOptions): ChannelPlan[] {
  return (['announcements', 'bugReports', 'featureRequests', 'support', 'staff'] as const).map((kind) => {
    const name = o.names[kind];
    const wanted = overwritesFor(kind, o);
    const found = existing.find(
      (c) =>
        'name' in c &&
        c.name === name &&
        (c.type === ChannelType.GuildText || c.type === ChannelType.GuildAnnouncement),
    );
    if (!found) {
      const type = kind === 'announcements' ? ChannelType.GuildAnnouncement : ChannelType.GuildText;
      return { kind, name, action: 'create', type, overwrites: wanted };
    }
    const missing = missingOverwrites((found as APIGuildChannel).permission_overwrites ?? [], wanted);
    return missing.length > 0
      ? { kind, name, action: 'repair', channelId: found.id, overwrites: wanted, missing }
      : { kind, name, action: 'none', channelId: found.id };
  });
}

/** The guild's channels, as `planChannelSetup` takes them. */
export async function guildChannels(rest: REST, guildId: string): Promise<APIChannel[]> {
  return (await rest.get(Routes.guildChannels(guildId))) as APIChannel[];
}

/**
 * Creates the announcements, bug-report, feature-request, support and staff channels, or repairs their permission
 * overwrites; running it twice changes nothing the second time. The announcements channel is an announcement
 * (news) channel when the guild allows it, so the feed relay can crosspost.
 */
export async function setupChannels(rest: REST, o: SetupChannelsOptions): Promise<SetupChannelsResult> {
  const result: SetupChannelsResult = { created: [], repaired: [], unchanged: [] };
  for (const plan of planChannelSetup(await guildChannels(rest, o.guildId), o)) {
    if (plan.action === 'create') {
      // Discord's OpenAPI spec types request bitfields as integers; these flags fit well within 2^53.
      const permission_overwrites = plan.overwrites.map((ow) => ({
        ...ow,
        allow: Number(ow.allow),
        deny: Number(ow.deny),
      }));
      await rest.post(Routes.guildChannels(o.guildId), {
        body: { name: plan.name, type: plan.type, permission_overwrites },
      });
      result.created.push(plan.name);
    } else if (plan.action === 'repair') {
      for (const ow of plan.overwrites) {
        await rest.put(Routes.channelPermission(plan.channelId, ow.id), {
          body: { type: ow.type, allow: Number(ow.allow), deny: Number(ow.deny) },
        });
      }
      result.repaired.push(plan.name);
    } else {
      result.unchanged.push(plan.name);
    }
  }
  return result;
}
