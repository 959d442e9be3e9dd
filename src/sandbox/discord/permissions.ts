import { ChannelType, PermissionFlagsBits } from 'discord-api-types/v10';
import { type FakeChannel, type FakeGuild } from './model';

const ADMINISTRATOR = PermissionFlagsBits.Administrator;
/** What @everyone may do in a fake guild (Discord's defaults without Administrator). */
export const EVERYONE_PERMISSIONS = 2248473465835073n & ~ADMINISTRATOR;

/**
 * A member's permissions in a guild channel the way Discord computes them: the guild's base permissions, then the
 * channel's @everyone overwrite, the member's roles' overwrites and the member's own overwrite, each deny before
 * allow. A thread uses its parent's overwrites. Enough for the fake to answer 50013 where Discord would.
 */
export function channelPermissions(
  guild: FakeGuild,
  channel: FakeChannel,
  parent: FakeChannel | undefined,
  userId: string,
): bigint {
  const member = guild.members.get(userId);
  if (member?.admin) return EVERYONE_PERMISSIONS | ADMINISTRATOR;
  const overwrites = (isThread(channel) ? parent?.overwrites : channel.overwrites) ?? [];
  let perms = EVERYONE_PERMISSIONS;
  const apply = (o: { allow: string; deny: string } | undefined) => {
    if (!o) return;
    perms &= ~BigInt(o.deny);
    perms |= BigInt(o.allow);
  };
  apply(overwrites.find((o) => o.id === guild.id));
  let roleAllow = 0n;
  let roleDeny = 0n;
  for (const o of overwrites.filter((o) => member?.roles.includes(o.id))) {
    roleAllow |= BigInt(o.allow);
    roleDeny |= BigInt(o.deny);
  }
  apply({ allow: roleAllow.toString(), deny: roleDeny.toString() });
  apply(overwrites.find((o) => o.id === userId));
  return perms;
}

export function isThread(channel: FakeChannel): boolean {
  return channel.type === ChannelType.PrivateThread || channel.type === ChannelType.PublicThread;
}
