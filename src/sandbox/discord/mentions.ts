import { ChannelType } from 'discord-api-types/v10';
import { type FakeChannel } from './model';

/**
 * Who a message would notify, by Discord's allowed-mentions rules
 * (https://discord.com/developers/docs/resources/message#allowed-mentions-object):
 *
 * - Only mentions written in the content notify; embeds never do, and `allowed_mentions` cannot add a mention that is
 *   not in the content (no "phantom" pings).
 * - Without `allowed_mentions`, every mention in the content is parsed; in an interaction response only user
 *   mentions are.
 * - With it, `parse` lists the kinds parsed (`users`, `roles`, `everyone`, where `everyone` covers `@here` too) and
 *   `users` / `roles` list ids allowed one by one. Naming a kind in `parse` and also listing its ids is a 400.
 * - `@everyone`, `@here` and roles exist in servers only; in a DM only the other participant can be notified.
 *
 * The fake assumes the worst about permissions: the bot may mention everyone and every role is mentionable (an
 * operator may grant that), so flexcord must never rely on lacking a permission to stay quiet.
 */
export interface AllowedMentions {
  parse?: ('users' | 'roles' | 'everyone')[];
  users?: string[];
  roles?: string[];
  replied_user?: boolean;
}

export interface Pings {
  /** `@everyone` or `@here`. */
  everyone: boolean;
  roles: string[];
  users: string[];
}

export const NO_PINGS: Pings = { everyone: false, roles: [], users: [] };

/** The 400 Discord answers for a contradictory `allowed_mentions`, or undefined when it is valid. */
export function allowedMentionsError(allowed: AllowedMentions | undefined): string | undefined {
  if (!allowed) return undefined;
  if (allowed.parse?.includes('users') && allowed.users?.length)
    return 'allowed_mentions: parse:["users"] and users: [ids] are mutually exclusive.';
  if (allowed.parse?.includes('roles') && allowed.roles?.length)
    return 'allowed_mentions: parse:["roles"] and roles: [ids] are mutually exclusive.';
  if ((allowed.users?.length ?? 0) > 100 || (allowed.roles?.length ?? 0) > 100)
    return 'allowed_mentions: at most 100 users and 100 roles.';
  return undefined;
}

export function pingsOf(
  content: string | undefined,
  allowed: AllowedMentions | undefined,
  where: { channel: FakeChannel; interaction: boolean },
): Pings {
  const text = content ?? '';
  const parse =
    allowed?.parse ?? (allowed ? [] : where.interaction ? ['users'] : ['users', 'roles', 'everyone']);
  const inGuild = where.channel.type !== ChannelType.DM;
  const unique = (ids: string[]) => [...new Set(ids)];

  const userIds = unique([...text.matchAll(/<@!?(\d{15,25})>/g)].map((m) => m[1]!));
  const roleIds = unique([...text.matchAll(/<@&(\d{15,25})>/g)].map((m) => m[1]!));
  const users = userIds.filter(
    (id) =>
      (parse.includes('users') || (allowed?.users ?? []).includes(id)) &&
      (inGuild || id === where.channel.recipientId),
  );
  const roles = inGuild
    ? roleIds.filter((id) => parse.includes('roles') || (allowed?.roles ?? []).includes(id))
    : [];
  const everyone = inGuild && parse.includes('everyone') && /@(everyone|here)\b/.test(text);
  return { everyone, roles, users };
}
