import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createDiagnosticsActivities } from '../src/activities/diagnostics';
import type { selfTestWorkflow } from '../src/workflows/self-test';
import { testEnv } from './support/global-fixtures';
import { recordHistory } from './support/histories';
import { uniqueTaskQueue, withWorker } from './support/worker';
import { createWorker, writeWorkflowBundle } from '../src/worker/create-worker';

describe('a worker on the real Temporal dev server', () => {
  it('runs the self-test workflow and its activity end to end', async () => {
    const { client } = testEnv();
    const activities = createDiagnosticsActivities({
      workerIdentity: 'test-worker',
      now: () => new Date('2026-01-02T03:04:05Z'),
    });
    const workflowId = `self-test-${Date.now()}`;
    const result = await withWorker(activities, (taskQueue) =>
      client.workflow.execute<typeof selfTestWorkflow>('selfTestWorkflow', { taskQueue, workflowId }),
    );
    assert.deepEqual(result, { workerIdentity: 'test-worker', checkedAt: '2026-01-02T03:04:05.000Z' });
    const history = await client.workflow.getHandle(workflowId).fetchHistory();
    const types = history.events?.map((e) => e.eventType) ?? [];
    assert.ok(types.length >= 8, 'history has workflow and activity task events');
    await recordHistory(client, workflowId, 'self-test-v1');
  });

  it('runs from a prebundled workflow file, as a production worker does', async function () {
    this.timeout(60_000);
    const { client, nativeConnection } = testEnv();
    const bundleFile = path.join(
      fs.mkdtempSync(path.join(os.tmpdir(), 'flexcord-bundle-')),
      'workflow-bundle.js',
    );
    await writeWorkflowBundle(bundleFile);
    const taskQueue = uniqueTaskQueue('bundle');
    const worker = await createWorker({
      connection: nativeConnection,
      namespace: 'default',
      taskQueue,
      activities: createDiagnosticsActivities({ workerIdentity: 'bundled-worker' }),
      workflowBundlePath: bundleFile,
    });
    const result = await worker.runUntil(
      client.workflow.execute<typeof selfTestWorkflow>('selfTestWorkflow', {
        taskQueue,
        workflowId: `bundled-${Date.now()}`,
      }),
    );
    assert.equal(result.workerIdentity, 'bundled-worker');
  });
});
