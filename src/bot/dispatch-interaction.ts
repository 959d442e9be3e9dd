import { type Interaction } from 'discord.js';
import { decodeCustomId } from '../shared/discord-custom-ids';
import { commandByName } from './commands';
import { closeButton, ratingButton, requestHumanButton } from './components/conversation-buttons';
import { UserFacingError, withErrorBoundary } from './error-boundary';
import { bugModal, featureModal } from './modals/report-modal-submit';
import { pickGuildMenu } from './components/pick-guild';
import { type BotContext, type ButtonHandler, type ModalHandler, type SelectHandler } from './types';
import { t } from '../shared/i18n/translate';
import { interactionLocale } from './locale';

const BUTTONS = new Map<string, ButtonHandler>(
  [requestHumanButton, closeButton, ratingButton].map((h) => [h.kind, h as ButtonHandler]),
);
const SELECTS = new Map<string, SelectHandler>([[pickGuildMenu.kind, pickGuildMenu as SelectHandler]]);
const MODALS = new Map<string, ModalHandler>(
  [bugModal, featureModal].map((h) => [h.kind, h as ModalHandler]),
);

/** Every interaction goes through here: find its handler by command name or typed custom id, inside the boundary. */
export async function dispatchInteraction(interaction: Interaction, ctx: BotContext): Promise<void> {
  const logger = ctx.deps.logger.child({ interactionId: interaction.id });
  await withErrorBoundary(interaction, logger, async () => {
    if (interaction.isChatInputCommand()) {
      const command = commandByName.get(interaction.commandName);
      if (!command) throw new UserFacingError(t(interactionLocale(interaction), 'bot.unknownCommand'));
      return command.execute(interaction, ctx);
    }
    if (interaction.isStringSelectMenu()) {
      const id = decodeCustomId(interaction.customId);
      const handler = id && SELECTS.get(id.kind);
      if (!id || !handler) throw new UserFacingError(t(interactionLocale(interaction), 'bot.unknownMenu'));
      return (handler.execute as (i: unknown, id: unknown, c: BotContext) => Promise<void>)(
        interaction,
        id,
        ctx,
      );
    }
    if (interaction.isButton() || interaction.isModalSubmit()) {
      const id = decodeCustomId(interaction.customId);
      const handler = id && (interaction.isButton() ? BUTTONS.get(id.kind) : MODALS.get(id.kind));
      if (!id || !handler) throw new UserFacingError(t(interactionLocale(interaction), 'bot.unknownButton'));
      // The registry maps each kind to the handler typed for that kind.
      return (handler.execute as (i: unknown, id: unknown, c: BotContext) => Promise<void>)(
        interaction,
        id,
        ctx,
      );
    }
  });
}
