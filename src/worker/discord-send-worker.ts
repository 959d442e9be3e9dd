import { type DataConverter } from '@temporalio/common';
import { type ActivityInterceptorsFactory, type NativeConnection, Worker } from '@temporalio/worker';
import { type Activities } from '../activities';
import { discordSendRate, discordSendTaskQueue } from '../shared/task-queue';
import { safeActivityFailures } from './safe-activity-failures';

/** The activities that run on the send queue: the support conversations' posts and the channel each opens. */
export function discordSendActivities(activities: Pick<Activities, 'sendToDiscord' | 'openSupportChannel'>) {
  return { sendToDiscord: activities.sendToDiscord, openSupportChannel: activities.openSupportChannel };
}

/**
 * The worker of the Discord send queue. Every worker process runs one with the same limit, and the limit is
 * enforced by the Temporal server for the queue as a whole (`maxTaskQueueActivitiesPerSecond`), so two or ten
 * workers together still stay under Discord's global limit instead of each spending it.
 */
export async function createDiscordSendWorker(options: {
  connection: NativeConnection;
  namespace: string;
  /** The main task queue; the send queue is named after it. */
  taskQueue: string;
  identity: string;
  activities: Activities;
  globalRateLimit: number;
  activityInterceptors?: ActivityInterceptorsFactory[];
  /** The payload codec of every client and the main worker: the send activities' arguments arrive encrypted. */
  dataConverter?: DataConverter;
}): Promise<Worker> {
  return Worker.create({
    connection: options.connection,
    namespace: options.namespace,
    taskQueue: discordSendTaskQueue(options.taskQueue),
    identity: options.identity,
    activities: discordSendActivities(options.activities),
    maxTaskQueueActivitiesPerSecond: discordSendRate(options.globalRateLimit),
    // As on the main worker: outermost, so only safe failures reach Temporal and the logs.
    interceptors: { activity: [safeActivityFailures, ...(options.activityInterceptors ?? [])] },
    ...(options.dataConverter ? { dataConverter: options.dataConverter } : {}),
  });
}
