import { type Client } from '@temporalio/client';
import { SUPPORT_WORKFLOW_TYPE } from '../shared/support-messages';
import { SUPPORT_PHASES, type SupportPhase } from '../shared/support-types';
import { type PhaseCounter } from './metrics';

/**
 * Running support conversations of this deployment (its task queue) per phase, from Temporal visibility (the
 * `SupportPhase` search attribute), so the number is right whichever worker runs which conversation. Cached for
 * `maxAgeMs`: a scrape every few seconds must not become a visibility query storm.
 */
export function temporalPhaseCounter(client: Client, taskQueue: string, maxAgeMs = 15_000): PhaseCounter {
  let cached: { at: number; counts: Promise<Record<SupportPhase, number>> } | undefined;
  const countAll = async () => {
    const entries = await Promise.all(
      SUPPORT_PHASES.map(async (phase) => {
        const query =
          `WorkflowType = '${SUPPORT_WORKFLOW_TYPE}' AND ExecutionStatus = 'Running' ` +
          `AND TaskQueue = '${taskQueue}' AND SupportPhase = '${phase}'`;
        const { count } = await client.workflow.count(query);
        return [phase, count] as const;
      }),
    );
    return Object.fromEntries(entries) as Record<SupportPhase, number>;
  };
  return () => {
    const now = Date.now();
    if (!cached || now - cached.at > maxAgeMs) {
      const counts = countAll();
      cached = { at: now, counts };
      // A failed count is not cached: the next scrape asks again.
      counts.catch(() => {
        if (cached?.counts === counts) cached = undefined;
      });
    }
    return cached.counts;
  };
}
