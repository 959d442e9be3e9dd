import { type Interaction } from 'discord.js';
import { type GatedAction } from '../moderation';
import { UserFacingError } from './error-boundary';
import { isStaff } from './permissions';
import { refusalText } from './refusals';
import { type BotContext } from './types';
import { interactionLocale } from './locale';

/**
 * Stops a blocked or over-limit user before anything reaches a workflow: throws the polite refusal as a
 * UserFacingError, which the error boundary shows as the (ephemeral) answer.
 */
export async function admitInteraction(
  interaction: Interaction,
  ctx: BotContext,
  guildId: string,
  action: GatedAction,
): Promise<void> {
  const gate = ctx.deps.moderation?.gate;
  if (!gate) return;
  const staff = isStaff(interaction, ctx.deps.discord.staffRoleId);
  const admission = await gate.admit(guildId, interaction.user.id, action, { staff });
  if (!admission.allowed) {
    ctx.deps.logger.info(
      { guildId, userId: interaction.user.id, action, why: admission.why },
      'support request refused by the abuse controls',
    );
    throw new UserFacingError(refusalText(admission, interactionLocale(interaction)));
  }
}
