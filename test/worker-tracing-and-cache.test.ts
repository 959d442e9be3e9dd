import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { type Client } from '@temporalio/client';
import { Worker } from '@temporalio/worker';
import { createDiagnosticsActivities } from '../src/activities/diagnostics';
import { workflowTracingSinks } from '../src/observability/workflow-tracing';
import { supportWorkflowId, type StartSupportInput } from '../src/shared/support-types';
import {
  getConversationState,
  sendUserAction,
  sendUserMessage,
  signalAgentEvent,
} from '../src/temporal/support-client';
import { createWorker, writeWorkflowBundle } from '../src/worker/create-worker';
import { FakeSupportWorld } from './fakes/support-activities';
import { eventually, newSupportInput, userMessage } from './support/conversation-helpers';
import { testEnv, workflowBundle } from './support/global-fixtures';
import { recordHistory } from './support/histories';
import { uniqueTaskQueue, withWorker } from './support/worker';

/*
 * A worker bundles Temporal's tracing interceptor into its workflow code only when its process traces: the
 * interceptor gives each cached workflow an AsyncLocalStorage of its own, and their cost grows with the square of
 * the cached workflows (see src/observability/workflow-tracing.ts). So both bundles must run the same histories, and
 * the workflow cache has a size the operator sets.
 */
describe('the worker: tracing interceptor only when tracing, and the workflow cache size', function () {
  this.timeout(180_000);
  let client: Client;
  before(() => {
    client = testEnv().client;
  });

  it('builds the production bundle without the tracing interceptor and the traced one with it', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'flexcord-bundles-'));
    const plain = path.join(dir, 'workflow-bundle.js');
    const traced = path.join(dir, 'workflow-bundle-traced.js');
    await writeWorkflowBundle(plain);
    await writeWorkflowBundle(traced, { traced: true });
    // The interceptor's inbound class is what installs the per-workflow context manager.
    assert.doesNotMatch(fs.readFileSync(plain, 'utf8'), /class OpenTelemetryInboundInterceptor/);
    assert.match(fs.readFileSync(traced, 'utf8'), /class OpenTelemetryInboundInterceptor/);

    // Both run workflows; the cache holds what WORKER_MAX_CACHED_WORKFLOWS says.
    for (const [file, isTraced] of [
      [plain, false],
      [traced, true],
    ] as const) {
      const taskQueue = uniqueTaskQueue('bundle');
      const worker = await createWorker({
        connection: testEnv().nativeConnection,
        namespace: 'default',
        taskQueue,
        activities: createDiagnosticsActivities({ workerIdentity: `worker-${String(isTraced)}` }),
        workflowBundlePath: file,
        traced: isTraced,
        maxCachedWorkflows: 37,
      });
      assert.equal(worker.options.maxCachedWorkflows, 37);
      const result = await worker.runUntil(
        client.workflow.execute('selfTestWorkflow', { taskQueue, workflowId: `bundle-${Date.now()}` }),
      );
      assert.deepEqual((result as { workerIdentity: string }).workerIdentity, `worker-${String(isTraced)}`);
    }
  });

  /** A whole conversation: a question, a person asked for, an agent joins and writes, the user answers, close, rating. */
  async function wholeConversation(traced: boolean): Promise<string> {
    const world = new FakeSupportWorld();
    const input: StartSupportInput = newSupportInput();
    const workflowId = supportWorkflowId(input.user.guildId, input.user.userId);
    await withWorker(
      world.activities(),
      async (taskQueue) => {
        await sendUserMessage(client, { taskQueue, input, event: userMessage('my chest is empty') });
        await sendUserMessage(client, { taskQueue, input, event: userMessage('talk to a human please') });
        await eventually(() => assert.equal(world.handoffs.length, 1));
        await signalAgentEvent(client, {
          workflowId,
          event: { kind: 'joined', eventId: 'MB-join', agentIdentity: 'agent.ana', agentName: 'Ana' },
        });
        await signalAgentEvent(client, {
          workflowId,
          event: {
            kind: 'message',
            eventId: 'IM-1',
            agentIdentity: 'agent.ana',
            agentName: 'Ana',
            text: 'Let me look',
            attachments: [],
            sentAt: new Date().toISOString(),
          },
        });
        await eventually(() => assert.equal(world.sentOfKind('agent_message').length, 1));
        await sendUserMessage(client, { taskQueue, input, event: userMessage('thanks') });
        await eventually(() => assert.equal(world.flexMessages.at(-1)?.text, 'thanks'));
        await signalAgentEvent(client, {
          workflowId,
          event: { kind: 'closed', eventId: 'EV-close', reason: 'agent_closed' },
        });
        await eventually(async () =>
          assert.equal((await getConversationState(client, workflowId)).phase, 'closed'),
        );
        await sendUserAction(client, { workflowId, signal: 'rating', event: { eventId: 'rate', rating: 5 } });
        await client.workflow.getHandle(workflowId).result();
      },
      { traced },
    );
    return workflowId;
  }

  for (const recordedTraced of [false, true]) {
    it(`replays a conversation run ${recordedTraced ? 'with' : 'without'} tracing on the other bundle`, async () => {
      const workflowId = await wholeConversation(recordedTraced);
      const history = await client.workflow.getHandle(workflowId).fetchHistory();
      await Worker.runReplayHistory(
        { workflowBundle: await workflowBundle({ traced: !recordedTraced }), sinks: workflowTracingSinks() },
        history,
        workflowId,
      );
      if (!recordedTraced) await recordHistory(client, workflowId, 'support-untraced-v1');
    });
  }
});
