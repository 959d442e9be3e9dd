import { ApplicationCommandOptionType, MessageFlags } from 'discord.js';
import { onlyGuilds } from '../../cases/guild-scope';
import { CaseOperationError } from '../../cases/report-client';
import type { CaseSummary } from '../../shared/case-types';
import { UserFacingError } from '../error-boundary';
import { isStaff } from '../permissions';
import { type SlashCommand } from '../types';
import { BLOCK_SUBCOMMANDS, runBlockSubcommand } from './case-block';
import { type MessageKey, t } from '../../shared/i18n/translate';
import { interactionLocale } from '../locale';

const line = (c: CaseSummary) => `#${c.number} · ${c.type} · **${c.status}** · ${c.title.slice(0, 80)}`;

export default {
  data: {
    name: 'case',
    description: 'Your cases and their status (staff: every case, triage, notes, closing and blocks)',
    contexts: [0],
    options: [
      {
        type: ApplicationCommandOptionType.Subcommand,
        name: 'list',
        description: 'List cases',
        options: [
          { type: ApplicationCommandOptionType.Boolean, name: 'all', description: 'Staff: every case here' },
        ],
      },
      {
        type: ApplicationCommandOptionType.Subcommand,
        name: 'triage',
        description: 'Staff: start looking into a report (its reporter gets a DM)',
        options: [
          {
            type: ApplicationCommandOptionType.Integer,
            name: 'number',
            description: 'Case number',
            required: true,
            min_value: 1,
          },
          {
            type: ApplicationCommandOptionType.String,
            name: 'note',
            description: 'A note for the reporter',
            max_length: 500,
          },
        ],
      },
      {
        type: ApplicationCommandOptionType.Subcommand,
        name: 'note',
        description: 'Staff: add a private note to a case (never shown to the reporter)',
        options: [
          {
            type: ApplicationCommandOptionType.Integer,
            name: 'number',
            description: 'Case number',
            required: true,
            min_value: 1,
          },
          {
            type: ApplicationCommandOptionType.String,
            name: 'text',
            description: 'The note, for staff and agents only',
            required: true,
            max_length: 1000,
          },
        ],
      },
      {
        type: ApplicationCommandOptionType.Subcommand,
        name: 'close',
        description: 'Staff: close a case with a reason',
        options: [
          {
            type: ApplicationCommandOptionType.Integer,
            name: 'number',
            description: 'Case number',
            required: true,
            min_value: 1,
          },
          {
            type: ApplicationCommandOptionType.String,
            name: 'reason',
            description: 'Why',
            required: true,
            max_length: 500,
          },
        ],
      },
      ...BLOCK_SUBCOMMANDS,
    ],
  },
  async execute(interaction, ctx) {
    const locale = interactionLocale(interaction);
    if (!interaction.inGuild()) throw new UserFacingError(t(locale, 'case.useInServer'));
    await interaction.deferReply({ flags: MessageFlags.Ephemeral });
    const staff = isStaff(interaction, ctx.deps.discord.staffRoleId);
    const guildId = interaction.guildId;
    const subcommand = interaction.options.getSubcommand();
    if (subcommand === 'list') {
      const all = interaction.options.getBoolean('all') ?? false;
      if (all && !staff) throw new UserFacingError(t(locale, 'case.onlyStaffListAll'));
      const cases = all
        ? await ctx.deps.cases.listForGuild(guildId)
        : await ctx.deps.cases.listForUser(guildId, interaction.user.id);
      await interaction.editReply(
        cases.length === 0
          ? t(locale, 'case.noneYet')
          : cases.slice(0, 25).map(line).join('\n').slice(0, 2000),
      );
      return;
    }
    if (!staff) {
      throw new UserFacingError(t(locale, `case.onlyStaff.${subcommand}` as MessageKey));
    }
    if (subcommand === 'block' || subcommand === 'unblock')
      return runBlockSubcommand(interaction, ctx, subcommand);
    const number = interaction.options.getInteger('number', true);
    // A case is visible and closable only from its own guild: another server's case reads as "not found".
    const scope = onlyGuilds(guildId);
    const found = await ctx.deps.cases.show(number, scope).catch((err: unknown) => {
      if (err instanceof CaseOperationError && err.code === 'not_found') return undefined;
      throw err;
    });
    if (!found || found.guildId !== guildId) throw new UserFacingError(t(locale, 'case.notHere', { number }));
    const who = { actor: `discord:${interaction.user.id}`, eventId: interaction.id, scope };
    try {
      if (subcommand === 'triage') {
        const note = interaction.options.getString('note')?.trim();
        const result = await ctx.deps.cases.triage(number, note ? { note } : {}, who);
        await interaction.editReply(
          [
            t(locale, 'case.triaged', { number }),
            t(locale, result.reporterNotified === false ? 'case.reporterDmsClosed' : 'case.reporterGetsDm'),
          ].join(' '),
        );
        return;
      }
      if (subcommand === 'note') {
        const text = interaction.options.getString('text', true).trim();
        if (!text) throw new UserFacingError(t(locale, 'case.noteEmpty'));
        await ctx.deps.cases.note(number, { note: text }, who);
        await interaction.editReply(t(locale, 'case.noted', { number }));
        return;
      }
      const reason = interaction.options.getString('reason', true).trim();
      await ctx.deps.cases.close(number, { reason }, who);
      await interaction.editReply(t(locale, 'case.closed', { number }));
    } catch (err) {
      // Already triaged, already closed, or a support conversation: staff should read why, not a reference id.
      if (err instanceof CaseOperationError && err.code !== 'not_found')
        throw new UserFacingError(err.message);
      throw err;
    }
  },
} satisfies SlashCommand;
