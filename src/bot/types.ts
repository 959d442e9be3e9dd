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
import { type CatchUpGate } from './catch-up-gate';

export interface BotContext {
  deps: BotDeps;
  client: Client;
  /**
   * Where the catch-up of a new gateway session stands: a message routed before its channel has been read back says
   * so (`beforeCatchUp`), so it does not move a conversation's Discord cursor past the missed ones.
   */
  catchUp?: Pick<CatchUpGate, 'settled'>;
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
