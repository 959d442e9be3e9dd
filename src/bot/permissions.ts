import { type GuildMember, type Interaction, PermissionFlagsBits } from 'discord.js';

/** Staff = members holding DISCORD_STAFF_ROLE_ID in the guild the interaction comes from; DMs have no staff. */
export function isStaff(interaction: Interaction, staffRoleId: string | undefined): boolean {
  if (!staffRoleId || !interaction.inGuild()) return false;
  const member = interaction.member;
  const roles = Array.isArray(member.roles)
    ? member.roles
    : (member as GuildMember).roles.cache.map((r) => r.id);
  return roles.includes(staffRoleId);
}

export function isAdmin(interaction: Interaction): boolean {
  return (
    interaction.inGuild() && (interaction.memberPermissions?.has(PermissionFlagsBits.Administrator) ?? false)
  );
}
