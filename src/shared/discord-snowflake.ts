/*
 * Discord ids are snowflakes: milliseconds since Discord's epoch (2015-01-01) in the bits above 22. Comparing ids
 * orders messages by time, and a time gives the smallest id a message from then could have. Pure code.
 */
const DISCORD_EPOCH_MS = 1420070400000n;

/** The smallest snowflake of `ms` (ms since the Unix epoch): every message created at or after it has a larger id. */
export function snowflakeAt(ms: number): string {
  const since = BigInt(Math.max(0, Math.floor(ms))) - DISCORD_EPOCH_MS;
  return (since > 0n ? since << 22n : 0n).toString();
}

/** Whether snowflake `a` comes after `b` (both decimal strings). */
export function isAfter(a: string, b: string): boolean {
  return BigInt(a) > BigInt(b);
}

export function compareSnowflakes(a: string, b: string): number {
  const x = BigInt(a);
  const y = BigInt(b);
  return x < y ? -1 : x > y ? 1 : 0;
}
