import { randomBytes } from 'node:crypto';
import { type Interaction, MessageFlags } from 'discord.js';
import { type Logger } from 'pino';
import { t } from '../shared/i18n/translate';
import { interactionLocale } from './locale';

/** Raised by handlers for a problem the user can fix; shown as is, not logged as a failure. */
export class UserFacingError extends Error {
  override name = 'UserFacingError';
}

/**
 * The one place interaction failures end up: the user gets a short apology with a reference id, the log gets the
 * full error with the same id, so support can find it from a screenshot.
 */
export async function withErrorBoundary(
  interaction: Interaction,
  logger: Logger,
  handler: () => Promise<void>,
): Promise<void> {
  try {
    await handler();
  } catch (err) {
    let text: string;
    if (err instanceof UserFacingError) {
      text = err.message;
    } else {
      const ref = randomBytes(4).toString('hex');
      logger.error(
        { err, ref, interactionId: interaction.id, userId: interaction.user.id },
        'interaction failed',
      );
      text = t(interactionLocale(interaction), 'bot.apology', { ref });
    }
    if (!interaction.isRepliable()) return;
    try {
      if (interaction.deferred || interaction.replied) await interaction.editReply({ content: text });
      else await interaction.reply({ content: text, flags: MessageFlags.Ephemeral });
    } catch (replyErr) {
      logger.warn(
        { err: replyErr, interactionId: interaction.id },
        'could not tell the user about a failure',
      );
    }
  }
}
