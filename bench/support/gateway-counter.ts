import { Events } from 'discord.js';
import { createDiscordClient } from '../../src/bot/create-client';

/*
 * For fakes.bench.ts: a discord.js client on the Discord fake's gateway that only counts the MESSAGE_CREATE events
 * it receives, and prints the count when asked (a line on stdin), so the harness can measure the gateway's rate.
 */
async function main() {
  const client = createDiscordClient({ apiUrl: process.env.DISCORD_API_URL! });
  let count = 0;
  client.on(Events.MessageCreate, () => (count += 1));
  const ready = new Promise<void>((resolve) => client.once(Events.ClientReady, () => resolve()));
  await client.login(process.env.DISCORD_TOKEN!);
  await ready;
  console.log('gateway counter ready');
  process.stdin.on('data', () => console.log(`COUNT ${count}`));
  process.on('SIGTERM', () => void client.destroy().finally(() => process.exit(0)));
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
