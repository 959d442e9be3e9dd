import assert from 'node:assert/strict';
import { Worker } from '@temporalio/worker';
import { workflowTracingSinks } from '../src/observability/workflow-tracing';
import { workflowBundle } from './support/global-fixtures';
import { loadSavedHistories } from './support/histories';

/*
 * Determinism guard: every saved history under test/replay/histories must replay against today's workflow code.
 * A change that breaks one needs `patched()` (or a new workflow type), never a deleted history.
 */
describe('replay of saved workflow histories', function () {
  this.timeout(120_000);

  it('has saved histories to replay', () => {
    assert.ok(loadSavedHistories().length > 0, 'test/replay/histories is empty');
  });

  // A worker's bundle has the tracing interceptor only when its process traces, and tracing can be turned on or off
  // while conversations run: every history must replay on both bundles, whichever recorded it.
  for (const traced of [true, false]) {
    it(`replays every saved history without nondeterminism, ${traced ? 'with' : 'without'} the tracing interceptor`, async () => {
      const histories = loadSavedHistories();
      const failures: string[] = [];
      for await (const result of Worker.runReplayHistories(
        // The bundle's tracing interceptor exports workflow spans through this sink (none while replaying).
        { workflowBundle: await workflowBundle({ traced }), sinks: workflowTracingSinks() },
        histories,
      )) {
        if (result.error) failures.push(`${result.workflowId}: ${result.error.message}`);
      }
      assert.deepEqual(failures, []);
    });
  }
});
