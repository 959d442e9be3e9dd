import { ApplicationCommandOptionType, MessageFlags } from 'discord.js';
import { CaseOperationError } from '../../cases/report-client';
import type { CaseSummary } from '../../shared/case-types';
import { UserFacingError } from '../error-boundary';
import { isStaff } from '../permissions';
import { type SlashCommand } from '../types';

const line = (c: CaseSummary) => `#${c.number} · ${c.type} · **${c.status}** · ${c.title.slice(0, 80)}`;

export default {
  data: {
    name: 'case',
    description: 'Your cases and their status (staff: every case, and closing)',
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
    ],
  },
  async execute(interaction, ctx) {
    if (!interaction.inGuild()) throw new UserFacingError('Please use /case in the server.');
    await interaction.deferReply({ flags: MessageFlags.Ephemeral });
    const staff = isStaff(interaction, ctx.deps.discord.staffRoleId);
    const guildId = interaction.guildId;
    if (interaction.options.getSubcommand() === 'list') {
      const all = interaction.options.getBoolean('all') ?? false;
      if (all && !staff) throw new UserFacingError('Only staff can list every case.');
      const cases = all
        ? await ctx.deps.cases.listForGuild(guildId)
        : await ctx.deps.cases.listForUser(guildId, interaction.user.id);
      await interaction.editReply(
        cases.length === 0 ? 'No cases yet.' : cases.slice(0, 25).map(line).join('\n').slice(0, 2000),
      );
      return;
    }
    if (!staff) throw new UserFacingError('Only staff can close cases.');
    const number = interaction.options.getInteger('number', true);
    const reason = interaction.options.getString('reason', true).trim();
    // A case is visible and closable only from its own guild: another server's case reads as "not found".
    const found = await ctx.deps.cases.show(number).catch((err: unknown) => {
      if (err instanceof CaseOperationError && err.code === 'not_found') return undefined;
      throw err;
    });
    if (!found || found.guildId !== guildId)
      throw new UserFacingError(`There is no case #${number} in this server.`);
    await ctx.deps.cases.close(
      number,
      { reason },
      { actor: `discord:${interaction.user.id}`, eventId: interaction.id },
    );
    await interaction.editReply(`Closed case #${number}.`);
  },
} satisfies SlashCommand;
