import { type APIMessage } from 'discord-api-types/v10';
import { type DiscordMessageBody } from './render-message';

/**
 * Whether a message read back from Discord is the one `body` would post: same text, same embeds (title, link,
 * description) and the same buttons. Discord does not echo a message's nonce when it is read back, so this is how a
 * retry recognises its own earlier post once the nonce window has passed.
 */
export function isSameMessage(message: APIMessage, body: DiscordMessageBody): boolean {
  if ((message.content ?? '') !== (body.content ?? '')) return false;
  const embeds = message.embeds ?? [];
  const wanted = body.embeds ?? [];
  if (embeds.length !== wanted.length) return false;
  const embedKey = (e: { title?: string; url?: string; description?: string }) =>
    JSON.stringify([e.title ?? '', e.url ?? '', e.description ?? '']);
  if (embeds.some((e, i) => embedKey(e) !== embedKey(wanted[i]!))) return false;
  return customIds(message.components ?? []).join('\n') === customIds(body.components ?? []).join('\n');
}

function customIds(components: readonly unknown[]): string[] {
  const ids: string[] = [];
  const visit = (c: unknown) => {
    if (!c || typeof c !== 'object') return;
    const rec = c as { custom_id?: unknown; components?: unknown[] };
    if (typeof rec.custom_id === 'string') ids.push(rec.custom_id);
    rec.components?.forEach(visit);
  };
  components.forEach(visit);
  return ids;
}
