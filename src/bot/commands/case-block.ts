import {
  type APIApplicationCommandSubcommandOption,
  type APIApplicationCommandUserOption,
  ApplicationCommandOptionType,
  type ChatInputCommandInteraction,
} from 'discord.js';
import { onlyGuilds } from '../../cases/guild-scope';
import { BlockOperationError, expiryAfterDays } from '../../moderation';
import { UserFacingError } from '../error-boundary';
import { t } from '../../shared/i18n/translate';
import { interactionLocale } from '../locale';
import { type BotContext } from '../types';

const userOption: APIApplicationCommandUserOption = {
  type: ApplicationCommandOptionType.User,
  name: 'user',
  description: 'The member',
  required: true,
};

/** `/case block` and `/case unblock`: staff stop (or let again) a member from using support in this server. */
export const BLOCK_SUBCOMMANDS: APIApplicationCommandSubcommandOption[] = [
  {
    type: ApplicationCommandOptionType.Subcommand,
    name: 'block',
    description: 'Staff: stop a member from using support here (they are told politely, not why)',
    options: [
      userOption,
      {
        type: ApplicationCommandOptionType.String,
        name: 'reason',
        description: 'Why, for staff',
        required: true,
        max_length: 500,
      },
      {
        type: ApplicationCommandOptionType.Integer,
        name: 'days',
        description: 'Lift the block after this many days (default: until unblocked)',
        min_value: 1,
        max_value: 3650,
      },
    ],
  },
  {
    type: ApplicationCommandOptionType.Subcommand,
    name: 'unblock',
    description: 'Staff: let a blocked member use support again',
    options: [userOption],
  },
];

export async function runBlockSubcommand(
  interaction: ChatInputCommandInteraction<'cached' | 'raw'>,
  ctx: BotContext,
  subcommand: 'block' | 'unblock',
): Promise<void> {
  const locale = interactionLocale(interaction);
  const blocks = ctx.deps.moderation?.blocks;
  if (!blocks) throw new UserFacingError(t(locale, 'case.blockingUnavailable'));
  // The raw option value is the member's id; it needs no resolved user object.
  const userId = String(interaction.options.get('user', true).value);
  const who = { actor: `discord:${interaction.user.id}`, scope: onlyGuilds(interaction.guildId) };
  try {
    if (subcommand === 'unblock') {
      const { lifted } = await blocks.unblock({ guildId: interaction.guildId, userId }, who);
      await interaction.editReply(t(locale, lifted ? 'case.unblocked' : 'case.notBlocked', { user: userId }));
      return;
    }
    const days = interaction.options.getInteger('days') ?? undefined;
    const block = await blocks.block(
      {
        guildId: interaction.guildId,
        userId,
        reason: interaction.options.getString('reason', true),
        expiresAt: expiryAfterDays(days),
      },
      who,
    );
    await interaction.editReply(
      block.expiresAt
        ? t(locale, 'case.blockedUntil', {
            user: userId,
            until: `<t:${Math.ceil(Date.parse(block.expiresAt) / 1000)}:f>`,
          })
        : t(locale, 'case.blocked', { user: userId }),
    );
  } catch (err) {
    if (err instanceof BlockOperationError) throw new UserFacingError(err.message);
    throw err;
  }
}
