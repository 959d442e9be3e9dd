/* TaskRouter's task statuses as flexcord reasons about them. Pure: bundled into workflow code. */

/** TaskRouter task assignment statuses. */
export type FlexTaskStatus = 'pending' | 'reserved' | 'assigned' | 'wrapping' | 'completed' | 'canceled';

export interface FlexTaskRef {
  sid: string;
  status: FlexTaskStatus;
}

/** Statuses in which a task still has an agent coming or working on it. */
export const LIVE_FLEX_TASK_STATUSES: readonly FlexTaskStatus[] = ['pending', 'reserved', 'assigned'];

/** Whether another task than `exceptSid` is live: someone is (or will be) with the user. */
export function liveTaskBesides(tasks: readonly FlexTaskRef[], exceptSid?: string): FlexTaskRef | undefined {
  return tasks.find((t) => t.sid !== exceptSid && LIVE_FLEX_TASK_STATUSES.includes(t.status));
}

/**
 * A channel's tasks in one string (`WT…:status,…`, newest first): reconciliation compares it with the previous
 * read's to know whether anyone may have joined or left without writing.
 */
export function tasksFingerprint(tasks: readonly FlexTaskRef[]): string {
  return tasks.map((t) => `${t.sid}:${t.status}`).join(',');
}
