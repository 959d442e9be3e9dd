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
function overwritesFor(kind: keyof SetupChannelsOptions['names'], o: SetupChannelsOptions): APIOverwrite[] {
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

const sameOverwrites = (a: APIOverwrite[], b: APIOverwrite[]) => {
  const key = (o: APIOverwrite) => `${o.id}:${o.type}:${o.allow}:${o.deny}`;
  const have = new Set(a.map(key));
  return b.every((o) => have.has(key(o)));
};

/**
 * Creates the announcements, bug-report, feature-request, support and staff channels, or repairs their permission
 * overwrites; running it twice changes nothing the second time. The announcements channel is an announcement
 * (news) channel when the guild allows it, so the feed relay can crosspost.
 */
export async function setupChannels(rest: REST, o: SetupChannelsOptions): Promise<SetupChannelsResult> {
  const result: SetupChannelsResult = { created: [], repaired: [], unchanged: [] };
  const existing = (await rest.get(Routes.guildChannels(o.guildId))) as APIChannel[];
  for (const kind of ['announcements', 'bugReports', 'featureRequests', 'support', 'staff'] as const) {
    const name = o.names[kind];
    const wanted = overwritesFor(kind, o);
    const type = kind === 'announcements' ? ChannelType.GuildAnnouncement : ChannelType.GuildText;
    const found = existing.find(
      (c) =>
        'name' in c &&
        c.name === name &&
        (c.type === ChannelType.GuildText || c.type === ChannelType.GuildAnnouncement),
    );
    const current = (found as APIGuildChannel | undefined)?.permission_overwrites ?? [];
    if (!found) {
      // Discord's OpenAPI spec types request bitfields as integers; these flags fit well within 2^53.
      const permission_overwrites = wanted.map((ow) => ({
        ...ow,
        allow: Number(ow.allow),
        deny: Number(ow.deny),
      }));
      await rest.post(Routes.guildChannels(o.guildId), { body: { name, type, permission_overwrites } });
      result.created.push(name);
    } else if (!sameOverwrites(current, wanted)) {
      for (const ow of wanted) {
        await rest.put(Routes.channelPermission(found.id, ow.id), {
          body: { type: ow.type, allow: Number(ow.allow), deny: Number(ow.deny) },
        });
      }
      result.repaired.push(name);
    } else {
      result.unchanged.push(name);
    }
  }
  return result;
}
