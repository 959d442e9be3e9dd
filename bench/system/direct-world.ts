import fs from 'node:fs';
import path from 'node:path';
import { createTwilioClient } from '../../src/activities/twilio/twilio-client';
import { freePort } from '../../test/support/free-port';
import { type BenchConversation } from './relay-ledger';
import { RoleProcess, until } from './role-process';
import { AGENTS, type Fakes, inPool } from './world';

/**
 * The direct forwarder's side of the world: each of its users gets a Flex conversation (customer and agent
 * participants, a conversation-scoped webhook to the forwarder) made through the Twilio fake's REST API, and the
 * forwarder process learns the user ↔ conversation routes from a file.
 */
export async function directForwarder(
  fakes: Fakes,
  users: string[],
  options: { logDir: string; firstIndex: number; discordGlobalRateLimit?: number },
): Promise<{ process: RoleProcess; conversations: BenchConversation[] }> {
  const port = await freePort();
  const publicBaseUrl = `http://127.0.0.1:${port}`;
  const twilio = createTwilioClient({
    accountSid: fakes.twilio.accountSid,
    authToken: fakes.twilio.authToken,
    apiBaseUrl: fakes.twilio.url,
  });
  const conversations: BenchConversation[] = new Array(users.length);
  await inPool(users.length, 10, async (i) => {
    const userId = users[i]!;
    const agent = AGENTS[i % AGENTS.length]!;
    const { sid } = await twilio.conversations.v1.conversations.create({ friendlyName: `direct ${userId}` });
    const c = twilio.conversations.v1.conversations(sid);
    await c.participants.create({ identity: `discord:direct-${userId}` });
    await c.participants.create({ identity: agent.identity });
    await c.webhooks.create({
      target: 'webhook',
      'configuration.url': `${publicBaseUrl}/twilio/conversations`,
      'configuration.method': 'post',
      'configuration.filters': ['onMessageAdded'],
    });
    conversations[i] = {
      index: options.firstIndex + i,
      userId,
      dmChannelId: fakes.discord.dmChannelFor(userId).id,
      conversationSid: sid,
      agentIdentity: agent.identity,
      agentName: agent.name,
    };
  });
  const routesFile = path.join(options.logDir, 'direct-routes.json');
  fs.mkdirSync(options.logDir, { recursive: true });
  fs.writeFileSync(
    routesFile,
    JSON.stringify(
      conversations.map((c) => ({
        userId: c.userId,
        dmChannelId: c.dmChannelId,
        conversationSid: c.conversationSid,
        identity: `discord:direct-${c.userId}`,
      })),
    ),
  );
  const process = new RoleProcess({
    role: 'direct',
    name: 'direct-forwarder',
    script: path.join(__dirname, 'direct-forwarder.ts'),
    logDir: options.logDir,
    env: {
      DISCORD_API_URL: fakes.discord.apiUrl,
      DISCORD_TOKEN: fakes.discord.token,
      TWILIO_API_BASE_URL: fakes.twilio.url,
      TWILIO_ACCOUNT_SID: fakes.twilio.accountSid,
      TWILIO_AUTH_TOKEN: fakes.twilio.authToken,
      HTTP_PORT: String(port),
      PUBLIC_BASE_URL: publicBaseUrl,
      ROUTES_FILE: routesFile,
      DISCORD_GLOBAL_RATE_LIMIT: String(options.discordGlobalRateLimit ?? 50),
    },
    ready: (p) => until(() => p.logContains('direct forwarder ready'), 'the direct forwarder'),
  });
  return { process, conversations };
}
