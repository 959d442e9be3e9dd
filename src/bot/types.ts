import {
  type ButtonInteraction,
  type ChatInputCommandInteraction,
  type Client,
  type ModalSubmitInteraction,
  type RESTPostAPIChatInputApplicationCommandsJSONBody,
  type StringSelectMenuInteraction,
} from 'discord.js';
import { type CustomId } from '../shared/discord-custom-ids';
import { type BotDeps } from './bot-deps';

export interface BotContext {
  deps: BotDeps;
  client: Client;
  /**
   * False from the start of a new gateway session until its catch-up has read back what was missed: messages routed
   * meanwhile say so (`beforeCatchUp`), so they do not move a conversation's Discord cursor past the missed ones.
   */
  caughtUp?: boolean;
}

/** One slash command: its registration JSON and its handler (thin: it calls shared operations). */
export interface SlashCommand {
  data: RESTPostAPIChatInputApplicationCommandsJSONBody;
  execute(interaction: ChatInputCommandInteraction, ctx: BotContext): Promise<void>;
}

export interface ButtonHandler<K extends CustomId['kind'] = CustomId['kind']> {
  kind: K;
  execute(interaction: ButtonInteraction, id: Extract<CustomId, { kind: K }>, ctx: BotContext): Promise<void>;
}

export interface SelectHandler<K extends CustomId['kind'] = CustomId['kind']> {
  kind: K;
  execute(
    interaction: StringSelectMenuInteraction,
    id: Extract<CustomId, { kind: K }>,
    ctx: BotContext,
  ): Promise<void>;
}

export interface ModalHandler<K extends CustomId['kind'] = CustomId['kind']> {
  kind: K;
  execute(
    interaction: ModalSubmitInteraction,
    id: Extract<CustomId, { kind: K }>,
    ctx: BotContext,
  ): Promise<void>;
}
