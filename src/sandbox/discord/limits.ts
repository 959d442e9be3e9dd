import { type APIEmbed } from 'discord-api-types/v10';

/** Discord's documented message and embed limits; the fake rejects what the real API would (error 50035). */
export const LIMITS = {
  content: 2000,
  embedsPerMessage: 10,
  title: 256,
  description: 4096,
  fields: 25,
  fieldName: 256,
  fieldValue: 1024,
  footer: 2048,
  author: 256,
  embedTotal: 6000,
} as const;

function embedLength(e: APIEmbed): number {
  return (
    (e.title?.length ?? 0) +
    (e.description?.length ?? 0) +
    (e.footer?.text.length ?? 0) +
    (e.author?.name.length ?? 0) +
    (e.fields ?? []).reduce((n, f) => n + f.name.length + f.value.length, 0)
  );
}

/** The first broken limit, as the path Discord's 50035 error names, or undefined when the message is fine. */
export function messageLimitError(body: { content?: string; embeds?: APIEmbed[] }): string | undefined {
  if ((body.content?.length ?? 0) > LIMITS.content) return 'content: Must be 2000 or fewer in length.';
  const embeds = body.embeds ?? [];
  if (embeds.length > LIMITS.embedsPerMessage) return 'embeds: Must be 10 or fewer in length.';
  let total = 0;
  for (const [i, e] of embeds.entries()) {
    if ((e.title?.length ?? 0) > LIMITS.title) return `embeds.${i}.title: too long`;
    if ((e.description?.length ?? 0) > LIMITS.description) return `embeds.${i}.description: too long`;
    if ((e.fields?.length ?? 0) > LIMITS.fields) return `embeds.${i}.fields: too many`;
    for (const f of e.fields ?? []) {
      if (f.name.length > LIMITS.fieldName || f.value.length > LIMITS.fieldValue)
        return `embeds.${i}.fields: too long`;
    }
    if ((e.footer?.text.length ?? 0) > LIMITS.footer) return `embeds.${i}.footer.text: too long`;
    if ((e.author?.name.length ?? 0) > LIMITS.author) return `embeds.${i}.author.name: too long`;
    total += embedLength(e);
  }
  if (total > LIMITS.embedTotal) return 'embeds: Embed size exceeds maximum size of 6000';
  return undefined;
}
