import { MessageFlags, PermissionFlagsBits } from 'discord.js';
import { UserFacingError } from '../error-boundary';
import { isAdmin } from '../permissions';
import { setupChannels } from '../setup-channels';
import { type SlashCommand } from '../types';
import { t } from '../../shared/i18n/translate';
import { interactionLocale } from '../locale';

export default {
  data: {
    name: 'setup_channels',
    description: 'Admin: create or repair the announcements, bug-report and feature-request channels',
    default_member_permissions: PermissionFlagsBits.Administrator.toString(),
    contexts: [0],
  },
  async execute(interaction, ctx) {
    // default_member_permissions hides the command from non-admins; a server can override that, so check again.
    if (!isAdmin(interaction) || !interaction.guildId)
      throw new UserFacingError(t(interactionLocale(interaction), 'setup.onlyAdmins'));
    await interaction.deferReply({ flags: MessageFlags.Ephemeral });
    const { channels, supportChannelName, staffRoleId } = ctx.deps.discord;
    const result = await setupChannels(interaction.client.rest, {
      guildId: interaction.guildId,
      botUserId: interaction.client.user.id,
      staffRoleId,
      names: { ...channels, support: supportChannelName },
    });
    await interaction.editReply(
      t(interactionLocale(interaction), 'setup.result', {
        created: result.created.join(', ') || t(interactionLocale(interaction), 'setup.none'),
        repaired: result.repaired.join(', ') || t(interactionLocale(interaction), 'setup.none'),
        fine: result.unchanged.join(', ') || t(interactionLocale(interaction), 'setup.none'),
      }),
    );
  },
} satisfies SlashCommand;
