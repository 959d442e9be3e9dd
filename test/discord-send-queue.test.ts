import assert from 'node:assert/strict';
import { type Client } from '@temporalio/client';
import { Worker } from '@temporalio/worker';
import { temporal } from '@temporalio/proto';
import { workflowTracingSinks } from '../src/observability/workflow-tracing';
import { discordSendTaskQueue } from '../src/shared/task-queue';
import { supportWorkflowId } from '../src/shared/support-types';
import { openSupportConversation, sendUserAction, sendUserMessage } from '../src/temporal/support-client';
import { createDiscordSendWorker, discordSendActivities } from '../src/worker/discord-send-worker';
import type { Activities } from '../src/activities';
import { FakeSupportWorld, refundSearch } from './fakes/support-activities';
import { eventually, newSupportInput, userMessage } from './support/conversation-helpers';
import { testEnv, workflowBundle } from './support/global-fixtures';
import { recordHistory } from './support/histories';
import { uniqueTaskQueue } from './support/worker';

/*
 * Discord's global rate limit is the bot's, shared by every worker process: the support conversation posts through
 * the send queue, which the Temporal server dispatches at the bot's rate for all workers together.
 */
describe('Discord send queue', function () {
  this.timeout(60_000);
  let client: Client;
  before(() => {
    client = testEnv().client;
  });

  it("posts from the send queue: the conversation's own queue has no Discord activities at all", async () => {
    const world = new FakeSupportWorld({ search: refundSearch });
    const { sendToDiscord: _send, openSupportChannel: _open, ...withoutDiscord } = world.activities();
    const taskQueue = uniqueTaskQueue('send-queue');
    const main = await Worker.create({
      connection: testEnv().nativeConnection,
      taskQueue,
      workflowBundle: await workflowBundle(),
      activities: withoutDiscord,
      sinks: workflowTracingSinks(),
    });
    const sends = await Worker.create({
      connection: testEnv().nativeConnection,
      taskQueue: discordSendTaskQueue(taskQueue),
      activities: discordSendActivities(world.activities() as unknown as Activities),
    });
    const input = newSupportInput();
    const workflowId = supportWorkflowId(input.user.guildId, input.user.userId);
    await main.runUntil(
      sends.runUntil(async () => {
        await openSupportConversation(client, { taskQueue, input });
        await sendUserMessage(client, { taskQueue, input, event: userMessage('how do I get a refund?') });
        await eventually(() => assert.ok(world.sent.some((m) => m.kind === 'bot_answer')));
        await sendUserAction(client, { workflowId, signal: 'userClose', event: { eventId: 'close-1' } });
        await client.workflow.getHandle(workflowId).result();
        await recordHistory(client, workflowId, 'support-send-queue-v1');
      }),
    );
    assert.equal(world.channelsOpened.length, 1);
    assert.deepEqual(
      world.sent.map((m) => m.kind),
      ['notice', 'bot_answer', 'notice'],
      'greeting, answer, closing notice',
    );
  });

  it("asks the server to dispatch the send queue at Discord's global limit less one, for every worker alike", async () => {
    const taskQueue = uniqueTaskQueue('send-rate');
    const world = new FakeSupportWorld();
    const worker = await createDiscordSendWorker({
      connection: testEnv().nativeConnection,
      namespace: 'default',
      taskQueue,
      identity: 'send-rate-test',
      activities: world.activities() as unknown as Activities,
      globalRateLimit: 50,
    });
    await worker.runUntil(
      eventually(async () => {
        const described = await client.workflowService.describeTaskQueue({
          namespace: 'default',
          taskQueue: { name: discordSendTaskQueue(taskQueue) },
          taskQueueType: temporal.api.enums.v1.TaskQueueType.TASK_QUEUE_TYPE_ACTIVITY,
          reportConfig: true,
        });
        assert.equal(described.effectiveRateLimit?.requestsPerSecond, 49);
        assert.equal(
          described.effectiveRateLimit?.rateLimitSource,
          temporal.api.enums.v1.RateLimitSource.RATE_LIMIT_SOURCE_WORKER,
        );
      }),
    );
  });
});
