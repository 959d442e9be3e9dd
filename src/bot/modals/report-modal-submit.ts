import { EmbedBuilder, MessageFlags, type ModalSubmitInteraction } from 'discord.js';
import type { ReportType } from '../../shared/report-types';
import { UserFacingError } from '../error-boundary';
import { admitInteraction } from '../gatekeeping';
import { fieldLabel, REPORT_FIELDS, reportSchema } from '../report-modals';
import { type BotContext, type ModalHandler } from '../types';
import { pickLocale, t } from '../../shared/i18n/translate';
import { interactionLocale } from '../locale';

async function fileFromModal(
  interaction: ModalSubmitInteraction,
  ctx: BotContext,
  type: ReportType,
): Promise<void> {
  const locale = interactionLocale(interaction);
  if (!interaction.inGuild()) throw new UserFacingError(t(locale, 'report.fromServer'));
  await interaction.deferReply({ flags: MessageFlags.Ephemeral });
  const raw = Object.fromEntries(REPORT_FIELDS[type].map((f) => [f.id, readField(interaction, f.id)]));
  const parsed = reportSchema(type, locale).safeParse(raw);
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
    // The reporter hears back in their language; staff reminders come in the server's.
    locale,
    guildLocale: pickLocale(interaction.guildLocale),
  });
  await interaction.editReply(
    t(locale, type === 'bug' ? 'report.filedBug' : 'report.filedFeature', { caseNumber }),
  );
  // The summary is public: field names in the server's language (the stored case keeps the English names).
  const serverLocale = pickLocale(interaction.guildLocale);
  const shown = REPORT_FIELDS[type]
    .filter((f) => f.id !== 'title' && rest[f.id])
    .map((f) => [fieldLabel(f, serverLocale), rest[f.id]!] as const);
  const summary = new EmbedBuilder()
    .setTitle(`#${caseNumber} · ${title!}`.slice(0, 256))
    .setAuthor({ name: reporterName.slice(0, 256) })
    .setColor(type === 'bug' ? 0xed4245 : 0x57f287)
    .addFields(
      shown.slice(0, 25).map(([name, value]) => ({ name: name.slice(0, 256), value: value.slice(0, 1024) })),
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
