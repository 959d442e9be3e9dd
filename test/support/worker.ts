import { randomUUID } from 'node:crypto';
import { type DataConverter } from '@temporalio/common';
import { Worker } from '@temporalio/worker';
import { workflowTracingSinks } from '../../src/observability/workflow-tracing';
import { discordSendTaskQueue } from '../../src/shared/task-queue';
import { testEnv, workflowBundle } from './global-fixtures';

export function uniqueTaskQueue(prefix = 'test'): string {
  return `${prefix}-${randomUUID()}`;
}

/**
 * Runs `fn` while a worker with the given activities polls a fresh task queue on the shared dev server,
 * then shuts the worker down. Each test gets its own queue, so tests never pick up each other's tasks. The same
 * activities also serve the queue's Discord send queue, as the worker role's send worker does.
 */
export async function withWorker<T>(
  activities: object,
  fn: (taskQueue: string) => Promise<T>,
  options: { taskQueue?: string; dataConverter?: DataConverter; traced?: boolean } = {},
): Promise<T> {
  const taskQueue = options.taskQueue ?? uniqueTaskQueue();
  const worker = await Worker.create({
    connection: testEnv().nativeConnection,
    taskQueue,
    workflowBundle: await workflowBundle({ traced: options.traced }),
    activities,
    // The bundle's tracing interceptor exports workflow spans through this sink (dropped here).
    sinks: workflowTracingSinks(),
    ...(options.dataConverter ? { dataConverter: options.dataConverter } : {}),
  });
  const sends = await Worker.create({
    connection: testEnv().nativeConnection,
    taskQueue: discordSendTaskQueue(taskQueue),
    activities,
    ...(options.dataConverter ? { dataConverter: options.dataConverter } : {}),
  });
  return worker.runUntil(sends.runUntil(fn(taskQueue)));
}
