import assert from 'node:assert/strict';
import { createDiagnosticsActivities } from '../src/activities/diagnostics';
import type { selfTestWorkflow } from '../src/workflows/self-test';
import { testEnv } from './support/global-fixtures';
import { recordHistory } from './support/histories';
import { withWorker } from './support/worker';

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
});
