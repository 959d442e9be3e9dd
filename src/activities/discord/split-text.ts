/** Discord rejects message content over 2000 characters. */
export const DISCORD_MESSAGE_LIMIT = 2000;

/**
 * Splits text into chunks of at most `limit` characters, breaking at the last newline, else the last space, before
 * the limit, so words stay whole; a single word longer than the limit is cut where it must be.
 */
export function splitText(text: string, limit = DISCORD_MESSAGE_LIMIT): string[] {
  const chunks: string[] = [];
  let rest = text.trim();
  while (rest.length > limit) {
    const window = rest.slice(0, limit + 1);
    let cut = window.lastIndexOf('\n');
    if (cut <= 0) cut = window.lastIndexOf(' ');
    if (cut <= 0) cut = limit;
    chunks.push(rest.slice(0, cut).trimEnd());
    rest = rest.slice(cut).trimStart();
  }
  if (rest.length > 0) chunks.push(rest);
  return chunks;
}
