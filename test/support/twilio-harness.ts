import assert from 'node:assert/strict';
import { type Client } from '@temporalio/client';
import { Router } from 'express';
import pino from 'pino';
import type { SupportActivities } from '../../src/activities/support-activity-types';
import { type createTwilioActivities } from '../../src/activities/twilio/activities';
import { createTwilioClient } from '../../src/activities/twilio/twilio-client';
import type { CaseChanges } from '../../src/shared/case-types';
import type { OutboundDiscordMessage } from '../../src/shared/support-types';
import { TwilioFlexAdapter } from '../../src/activities/twilio/twilio-flex-adapter';
import { signalAgentEvent } from '../../src/temporal/support-client';
import { createWebhookApp } from '../../src/webhooks/app';
import { listen, type RunningHttpServer } from '../../src/webhooks/http-server';
import { createTwilioWebhookRouter } from '../../src/webhooks/twilio/twilio-router';
import { FakeTwilio } from '../../src/sandbox/twilio/fake-twilio';
import { IDENTITY_SECRET } from './flex-adapter';
import { testEnv } from './global-fixtures';

/**
 * The Twilio side of an end-to-end test: the real webhook router (signalling workflows through `client`) on a
 * loopback port, the Twilio fake sending it signed webhooks, and the real Flex adapter pointed at the fake.
 */
export interface TwilioHarness {
  fake: FakeTwilio;
  webhooks: RunningHttpServer;
  adapter: TwilioFlexAdapter;
  /** Stops both servers and fails the test if any request or answer broke Twilio's OpenAPI specs. */
  stop(): Promise<void>;
}

export async function startTwilioHarness(client: Client, authToken: string): Promise<TwilioHarness> {
  // The public URL is the local server itself (in production: the tunnel or load balancer), known only once it
  // listens, so the Twilio router is added to a mounted holder afterwards.
  const holder = Router();
  const app = createWebhookApp({
    logger: pino({ level: 'silent' }),
    readiness: async () => undefined,
    routers: [{ path: '/twilio', router: holder }],
  });
  const webhooks = await listen(app, 0, '127.0.0.1');
  const publicBaseUrl = `http://127.0.0.1:${webhooks.port}`;
  holder.use(
    createTwilioWebhookRouter({
      authToken,
      publicBaseUrl,
      bodyLimit: '100kb',
      logger: pino({ level: 'silent' }),
      deliver: (input) => signalAgentEvent(client, input),
    }),
  );
  const fake = await new FakeTwilio({
    authToken,
    taskrouterCallbackUrl: `${publicBaseUrl}/twilio/taskrouter`,
  }).start();
  const adapter = new TwilioFlexAdapter({
    client: createTwilioClient({ accountSid: fake.accountSid, authToken, apiBaseUrl: fake.url }),
    workspaceSid: fake.workspaceSid,
    workflowSid: fake.workflowSid,
    taskChannel: 'chat',
    conversationsWebhookUrl: `${publicBaseUrl}/twilio/conversations`,
    timers: { inactive: 'PT12H', closed: 'P2D' },
    interactionSetup: { attempts: 5, intervalMs: 20 },
    identitySecret: IDENTITY_SECRET,
  });
  return {
    fake,
    webhooks,
    adapter,
    async stop() {
      await fake.stop();
      await webhooks.close();
      assert.deepEqual(fake.specViolations, []);
    },
  };
}

/**
 * Stand-ins for every non-Twilio activity of the support workflow. `discord` records every send attempt (not
 * deduplicated, so a double relay shows), `caseChanges` every case update and `caseUpdates` the same with the case
 * number. Cases are numbered from 42, one per idempotency key.
 */
export function nonTwilioStandIns() {
  const discord: OutboundDiscordMessage[] = [];
  const caseChanges: CaseChanges[] = [];
  const caseUpdates: { caseNumber: number; changes: CaseChanges; action: string }[] = [];
  const caseKeys: string[] = [];
  const activities: Omit<SupportActivities, keyof ReturnType<typeof createTwilioActivities>> = {
    openSupportChannel: async ({ user }) => ({ channelId: `dm-${user.userId}`, kind: 'dm' }),
    recordConversation: async () => undefined,
    sendToDiscord: async (message) => {
      discord.push(message);
      return { messageIds: [String(discord.length)] };
    },
    openCase: async ({ idempotencyKey }) => {
      if (!caseKeys.includes(idempotencyKey)) caseKeys.push(idempotencyKey);
      return { caseNumber: 42 + caseKeys.indexOf(idempotencyKey) };
    },
    appendTranscript: async () => undefined,
    updateCase: async ({ caseNumber, changes, event }) => {
      caseChanges.push(changes);
      caseUpdates.push({ caseNumber, changes, action: event.action });
    },
    getCaseTranscript: async () => [],
    latestStaffNotes: async () => [],
    // Customer files have their own end-to-end test (customer-media.test.ts).
    relayCustomerAttachment: async () => {
      throw new Error('no customer files in these tests');
    },
    // Edits and deletions have their own end-to-end test (message-revisions.test.ts).
    editFlexMessage: async () => undefined,
    removeFlexMessages: async () => undefined,
    editDiscordMessage: async ({ messageIds }) => ({ messageIds }),
    deleteDiscordMessages: async () => undefined,
    searchKnowledgeBase: async () => [],
  };
  return { activities, discord, caseChanges, caseUpdates };
}

/**
 * A fresh harness for each test of the calling `describe` (started before, stopped and spec-checked after). The
 * returned object reads through to the current test's harness.
 */
export function twilioHarnessForEachTest(authToken: string): TwilioHarness {
  let current: TwilioHarness | undefined;
  beforeEach(async () => {
    current = await startTwilioHarness(testEnv().client, authToken);
  });
  afterEach(async () => {
    const stopping = current;
    current = undefined;
    await stopping?.stop();
  });
  const harness = (): TwilioHarness => {
    if (!current) throw new Error('the Twilio harness is only there during a test');
    return current;
  };
  return {
    get fake() {
      return harness().fake;
    },
    get webhooks() {
      return harness().webhooks;
    },
    get adapter() {
      return harness().adapter;
    },
    stop: () => harness().stop(),
  };
}
