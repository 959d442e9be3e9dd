const DISCORD_EPOCH = 1420070400000n;
let increment = 0n;

/** A Discord-style snowflake: milliseconds since the Discord epoch in the high bits, a counter in the low bits. */
export function snowflake(at: number = Date.now()): string {
  increment = (increment + 1n) & 0xfffn;
  return (((BigInt(at) - DISCORD_EPOCH) << 22n) | increment).toString();
}
