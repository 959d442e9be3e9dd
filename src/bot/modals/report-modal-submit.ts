import { EmbedBuilder, MessageFlags, type ModalSubmitInteraction } from 'discord.js';
import type { ReportType } from '../../shared/report-types';
import { UserFacingError } from '../error-boundary';
import { admitInteraction } from '../gatekeeping';
import { REPORT_FIELDS, reportSchema } from '../report-modals';
import { type BotContext, type ModalHandler } from '../types';

async function fileFromModal(
  interaction: ModalSubmitInteraction,
  ctx: BotContext,
  type: ReportType,
): Promise<void> {
  if (!interaction.inGuild()) throw new UserFacingError('Reports are filed from the server.');
  await interaction.deferReply({ flags: MessageFlags.Ephemeral });
  const raw = Object.fromEntries(REPORT_FIELDS[type].map((f) => [f.id, readField(interaction, f.id)]));
  const parsed = reportSchema(type).safeParse(raw);
  if (!parsed.success) throw new UserFacingError(parsed.error.issues.map((i) => i.message).join('\n'));
  const { title, ...rest } = parsed.data as Record<string, string>;
  const labels = Object.fromEntries(REPORT_FIELDS[type].map((f) => [f.id, f.label]));
  const fields = Object.fromEntries(
    Object.entries(rest)
      .filter(([, v]) => v)
      .map(([k, v]) => [labels[k] ?? k, v]),
  );
  await admitInteraction(interaction, ctx, interaction.guildId, 'file_report');
  const reporterName = interaction.user.globalName ?? interaction.user.username;
  const { caseNumber } = await ctx.deps.reports.file({
    idempotencyKey: interaction.id,
    type,
    guildId: interaction.guildId,
    reporter: { discordId: interaction.user.id, name: reporterName },
    title: title!,
    description: Object.values(rest).filter(Boolean).join('\n\n'),
    fields,
  });
  await interaction.editReply(
    `Thanks! Your ${type === 'bug' ? 'bug report' : 'feature request'} is case #${caseNumber}.`,
  );
  const summary = new EmbedBuilder()
    .setTitle(`#${caseNumber} · ${title!}`.slice(0, 256))
    .setAuthor({ name: reporterName.slice(0, 256) })
    .setColor(type === 'bug' ? 0xed4245 : 0x57f287)
    .addFields(
      Object.entries(fields)
        .slice(0, 25)
        .map(([name, value]) => ({ name: name.slice(0, 256), value: value.slice(0, 1024) })),
    );
  if (interaction.channel?.isSendable()) await interaction.channel.send({ embeds: [summary] });
}

function readField(interaction: ModalSubmitInteraction, id: string): string | undefined {
  try {
    return interaction.fields.getTextInputValue(id);
  } catch {
    return undefined;
  }
}

export const bugModal: ModalHandler<'bug_modal'> = {
  kind: 'bug_modal',
  execute: (interaction, _id, ctx) => fileFromModal(interaction, ctx, 'bug'),
};

export const featureModal: ModalHandler<'feature_modal'> = {
  kind: 'feature_modal',
  execute: (interaction, _id, ctx) => fileFromModal(interaction, ctx, 'feature'),
};
