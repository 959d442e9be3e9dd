import { type Twilio } from 'twilio';
import { type FlexHandoffRef, type FlexWaitEstimate } from './port';

/** How far back TaskRouter's cumulative figures reach: long enough to smooth a lull, short enough to be current. */
export const WAIT_WINDOW_MINUTES = 60;
/** Enough to find the task in any realistic queue without paging through a backlog. */
const MAX_WAITING_TASKS = 200;

export interface WaitEstimateOptions {
  client: Twilio;
  workspaceSid: string;
  workflowSid: string;
  taskChannel: string;
}

/**
 * The expected wait for the handoff's task from TaskRouter's live figures. The task's place in the queue (waiting
 * tasks in the order TaskRouter offers them: priority, then age) divided by how fast agents have been accepting
 * tasks over the last hour; without a place, the hour's average acceptance time. Nothing accepted in the hour
 * means there is no pace to go by, so no seconds.
 */
export async function estimateWait(
  options: WaitEstimateOptions,
  handoff: FlexHandoffRef,
): Promise<FlexWaitEstimate> {
  const workspace = options.client.taskrouter.v1.workspaces(options.workspaceSid);
  const [stats, waiting] = await Promise.all([
    workspace
      .workflows(options.workflowSid)
      .cumulativeStatistics()
      .fetch({ minutes: WAIT_WINDOW_MINUTES, taskChannel: options.taskChannel }),
    workspace.tasks.list({
      workflowSid: options.workflowSid,
      assignmentStatus: ['pending', 'reserved'],
      ordering: 'Priority:desc,DateCreated:asc',
      limit: MAX_WAITING_TASKS,
    }),
  ]);

  const index = waiting.findIndex(
    (t) => taskAttribute(t.attributes, 'flexInteractionChannelSid') === handoff.channelSid,
  );
  const position = index >= 0 ? index + 1 : undefined;
  const accepted = stats.reservationsAccepted;
  let seconds: number | undefined;
  if (accepted > 0 && position !== undefined)
    seconds = Math.ceil((position * WAIT_WINDOW_MINUTES * 60) / accepted);
  else if (accepted > 0 && stats.avgTaskAcceptanceTime > 0) seconds = stats.avgTaskAcceptanceTime;
  return { ...(seconds !== undefined ? { seconds } : {}), ...(position !== undefined ? { position } : {}) };
}

function taskAttribute(raw: string, key: string): unknown {
  try {
    return (JSON.parse(raw) as Record<string, unknown>)[key];
  } catch {
    return undefined;
  }
}
