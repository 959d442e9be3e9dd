import {
  type APIActionRowComponent,
  type APIAllowedMentions,
  type APIButtonComponent,
  type APIEmbed,
  ButtonStyle,
  ComponentType,
} from 'discord-api-types/v10';
import { type ConversationRef, encodeCustomId } from '../../shared/discord-custom-ids';
import type { ArticleHit, ConversationButton, OutboundDiscordMessage } from '../../shared/support-types';
import { type AnnouncementEmbed } from './port';
import { splitText } from './split-text';
import { type Locale, t } from '../../shared/i18n/translate';

/** One REST message body; a logical message may need several (long text). */
export interface DiscordMessageBody {
  content?: string;
  embeds?: APIEmbed[];
  components?: APIActionRowComponent<APIButtonComponent>[];
  allowed_mentions: APIAllowedMentions;
}

/**
 * What every post allows to notify: nobody. flexcord relays text it did not write (agent replies and names,
 * knowledge-base articles, report titles, feed items), and without `allowed_mentions` Discord would turn an
 * `@everyone` or `<@&role>` in it into a ping for the whole server. A deliberate ping would list exactly one user,
 * the conversation's own, in `users`.
 */
export const NO_MENTIONS: APIAllowedMentions = { parse: [] };

// Discord's embed limits (https://discord.com/developers/docs/resources/message#embed-object-embed-limits).
const EMBED = { perMessage: 10, title: 256, description: 4096, total: 6000 } as const;
/** Suggestions stay short: a user skims three articles, they do not read three pages. */
const EXCERPT_LENGTH = 350;
const ARTICLE_COLOUR = 0x5865f2;

const clip = (text: string, max: number) =>
  text.length <= max ? text : `${text.slice(0, max - 1).trimEnd()}…`;

export function articleEmbeds(articles: ArticleHit[]): APIEmbed[] {
  const embeds: APIEmbed[] = [];
  let total = 0;
  for (const article of articles.slice(0, EMBED.perMessage)) {
    const embed: APIEmbed = {
      title: clip(article.title, EMBED.title),
      description: clip(article.excerpt, Math.min(EXCERPT_LENGTH, EMBED.description)),
      color: ARTICLE_COLOUR,
      ...(isHttpUrl(article.url) ? { url: article.url } : {}),
    };
    const size = (embed.title?.length ?? 0) + (embed.description?.length ?? 0);
    if (total + size > EMBED.total) break;
    total += size;
    embeds.push(embed);
  }
  return embeds;
}

/** Buttons under a message, labelled in `locale`; with `conversation`, each button's id names the conversation it acts on. */
export function buttonRows(
  buttons: ConversationButton[],
  conversation?: ConversationRef,
  locale?: Locale,
): APIActionRowComponent<APIButtonComponent>[] {
  const of = conversation ? { conversation } : {};
  const actions: APIButtonComponent[] = [];
  if (buttons.includes('request_human')) {
    actions.push(
      button(
        encodeCustomId({ kind: 'request_human', ...of }),
        t(locale, 'discord.talkToHuman'),
        ButtonStyle.Primary,
      ),
    );
  }
  if (buttons.includes('close')) {
    actions.push(
      button(encodeCustomId({ kind: 'close', ...of }), t(locale, 'discord.close'), ButtonStyle.Danger),
    );
  }
  const rows: APIActionRowComponent<APIButtonComponent>[] = [];
  if (actions.length > 0) rows.push({ type: ComponentType.ActionRow, components: actions });
  if (buttons.includes('rating')) {
    const ratings = ([1, 2, 3, 4, 5] as const).map((rating) =>
      button(encodeCustomId({ kind: 'rating', rating, ...of }), '★'.repeat(rating), ButtonStyle.Secondary),
    );
    rows.push({ type: ComponentType.ActionRow, components: ratings });
  }
  return rows;
}

/**
 * Turns the workflow's message into REST bodies: the agent's name on agent messages, attachments as links, text split
 * on word boundaries, and article embeds plus buttons on the last part (so the buttons sit under the whole answer).
 */
export function renderMessage(message: OutboundDiscordMessage): DiscordMessageBody[] {
  let text = message.text;
  if (message.kind === 'agent_message' && message.agentName)
    text = t(message.locale, 'discord.agentMessage', { agentName: message.agentName, text });
  const links = (message.attachments ?? []).map(
    (a) => `📎 [${a.name ?? t(message.locale, 'discord.attachment')}](${a.url})`,
  );
  if (links.length > 0) text = [text, ...links].join('\n');

  const bodies: DiscordMessageBody[] = splitText(text).map((content) => ({
    content,
    allowed_mentions: NO_MENTIONS,
  }));
  const embeds = articleEmbeds(message.articles ?? []);
  const components = buttonRows(message.buttons ?? [], message.conversation, message.locale);
  if (embeds.length === 0 && components.length === 0)
    return bodies.length > 0 ? bodies : [{ content: '…', allowed_mentions: NO_MENTIONS }];
  const last = bodies.pop() ?? { allowed_mentions: NO_MENTIONS };
  bodies.push({
    ...last,
    ...(embeds.length > 0 ? { embeds } : {}),
    ...(components.length > 0 ? { components } : {}),
  });
  return bodies;
}

/** An announcement as Discord's message body; the same body posts it and recognises it later. */
export function announcementBody(announcement: AnnouncementEmbed): DiscordMessageBody {
  const { footer, ...embed } = announcement;
  return {
    embeds: [{ ...embed, ...(footer ? { footer: { text: footer } } : {}) }],
    allowed_mentions: NO_MENTIONS,
  };
}

function button(
  customId: string,
  label: string,
  style: ButtonStyle.Primary | ButtonStyle.Danger | ButtonStyle.Secondary,
): APIButtonComponent {
  return { type: ComponentType.Button, custom_id: customId, label, style };
}

function isHttpUrl(url: string): boolean {
  return /^https?:\/\//.test(url);
}
