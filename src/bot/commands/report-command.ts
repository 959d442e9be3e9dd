import { type ChatInputCommandInteraction } from 'discord.js';
import type { ReportType } from '../../shared/report-types';
import { UserFacingError } from '../error-boundary';
import { admitInteraction } from '../gatekeeping';
import { reportModal } from '../report-modals';
import { type BotContext } from '../types';
import { t } from '../../shared/i18n/translate';
import { interactionLocale } from '../locale';

/** /bug and /new_feature: only in their own channel; the modal must be the first answer (it cannot be deferred). */
export async function showReportModal(
  interaction: ChatInputCommandInteraction,
  ctx: BotContext,
  type: ReportType,
): Promise<void> {
  const wanted =
    type === 'bug' ? ctx.deps.discord.channels.bugReports : ctx.deps.discord.channels.featureRequests;
  const channelName =
    interaction.channel && 'name' in interaction.channel ? interaction.channel.name : undefined;
  if (!interaction.inGuild() || channelName !== wanted) {
    throw new UserFacingError(
      t(interactionLocale(interaction), 'report.useChannel', {
        command: interaction.commandName,
        channel: wanted,
      }),
    );
  }
  // Checked before the form, so nobody types a whole report that would be refused.
  await admitInteraction(interaction, ctx, interaction.guildId, 'start_report');
  await interaction.showModal(reportModal(type, interactionLocale(interaction)));
}
