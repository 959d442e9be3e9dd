import { proxyActivities } from '@temporalio/workflow';
import type { DiagnosticsActivities } from '../activities/diagnostics';

const { reportWorkerHealth } = proxyActivities<DiagnosticsActivities>({
  startToCloseTimeout: '10 seconds',
  retry: { maximumAttempts: 3 },
});

export interface SelfTestResult {
  /** Which worker process ran the activity: proves a worker is polling the task queue end to end. */
  workerIdentity: string;
  checkedAt: string;
}

/** Round trip through the task queue: a workflow task and an activity task. Used by `flexcord doctor` and tests. */
export async function selfTestWorkflow(): Promise<SelfTestResult> {
  const report = await reportWorkerHealth();
  return { workerIdentity: report.workerIdentity, checkedAt: report.checkedAt };
}
