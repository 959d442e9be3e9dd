import { type Client, WorkflowFailedError } from '@temporalio/client';
import { TimeoutFailure } from '@temporalio/common';
import { temporal } from '@temporalio/proto';
import { ALL_SEARCH_ATTRIBUTES } from '../../shared/search-attributes';
import { discordSendTaskQueue } from '../../shared/task-queue';
import {
  commandLineTarget,
  connectClient,
  type TemporalTarget,
  unreachableAdvice,
} from '../../temporal/connect';
import type { selfTestWorkflow } from '../../workflows/self-test';
import { type CheckOutcome, type CheckResult, fail, pass, runCheck, skip } from '../check';
import { type DoctorContext } from '../context';
import { errorSummary } from '../report';

const { IndexedValueType, TaskQueueType } = temporal.api.enums.v1;

/** Temporal answers, flexcord's search attributes exist, and a worker serves the task queue. */
export async function temporalChecks(ctx: DoctorContext): Promise<CheckResult[]> {
  let target: TemporalTarget;
  try {
    target = commandLineTarget(ctx.config);
  } catch (err) {
    const problem = fail(errorSummary(err), 'set TEMPORAL_ADDRESS, or check temporal.toml');
    return [
      { id: 'temporal.reachable', title: 'Temporal', ...problem, ms: 0 },
      ...skipRest('Temporal settings'),
    ];
  }
  let client: Client | undefined;
  let close = async () => {};
  const reachable = await runCheck(
    'temporal.reachable',
    'Temporal',
    async () => {
      const connected = await connectClient({
        ...target,
        // Connection.connect takes a connect timeout; envconfig's type does not name it.
        connectionOptions: {
          ...target.connectionOptions,
          connectTimeout: ctx.timeoutMs,
        } as TemporalTarget['connectionOptions'],
      });
      close = () => connected.connection.close();
      client = connected.client;
      return reachableOutcome(connected.client, target);
    },
    {
      timeoutMs: ctx.timeoutMs,
      onError: (err) =>
        fail(
          `cannot reach Temporal at ${target.address} (namespace ${target.namespace}): ${errorSummary(causeOf(err))}`,
          unreachableAdvice(target),
        ),
    },
  );
  try {
    if (reachable.status !== 'pass' || !client) return [reachable, ...skipRest('Temporal')];
    const answering = client;
    const attributes = await runCheck(
      'temporal.searchAttributes',
      'Temporal search attributes',
      () => searchAttributes(answering, target.namespace),
      { timeoutMs: ctx.timeoutMs, onError: (err) => fail(errorSummary(err), unreachableAdvice(target)) },
    );
    const worker = await runCheck('temporal.worker', 'Temporal worker', () => workerServes(answering, ctx), {
      timeoutMs: ctx.timeoutMs + ctx.workerTimeoutMs,
      onError: (err) => fail(errorSummary(err), startWorkerFix(ctx)),
    });
    return [reachable, attributes, worker];
  } finally {
    await close();
  }
}

function skipRest(what: string): CheckResult[] {
  return [
    { id: 'temporal.searchAttributes', title: 'Temporal search attributes', ...skip(`needs ${what}`), ms: 0 },
    { id: 'temporal.worker', title: 'Temporal worker', ...skip(`needs ${what}`), ms: 0 },
  ];
}

function causeOf(err: unknown): unknown {
  return err instanceof Error && err.name === 'TemporalUnreachableError' && err.cause ? err.cause : err;
}

async function reachableOutcome(client: Client, target: TemporalTarget): Promise<CheckOutcome> {
  const service = client.connection.workflowService;
  const info = await service.getSystemInfo({});
  try {
    await service.describeNamespace({ namespace: target.namespace });
  } catch (err) {
    if ((err as { code?: number }).code === 5 /* NOT_FOUND */) {
      return fail(
        `Temporal at ${target.address} answers, but has no namespace ${target.namespace}`,
        `create it (\`temporal operator namespace create --namespace ${target.namespace}\`) or set TEMPORAL_NAMESPACE`,
      );
    }
    throw err;
  }
  const version = info.serverVersion ? ` (server ${info.serverVersion})` : '';
  return pass(`${target.address}, namespace ${target.namespace}${version}`);
}

/** The custom search attributes flexcord's workflows set; without one, starting a conversation fails. */
async function searchAttributes(client: Client, namespace: string): Promise<CheckOutcome> {
  const listed = await client.connection.operatorService.listSearchAttributes({ namespace });
  const present = listed.customAttributes ?? {};
  const missing = ALL_SEARCH_ATTRIBUTES.filter(
    (key) => present[key.name] !== IndexedValueType[`INDEXED_VALUE_TYPE_${key.type}`],
  );
  if (missing.length === 0) return pass(`all ${ALL_SEARCH_ATTRIBUTES.length} registered`);
  const args = missing.map((key) => `--name ${key.name} --type ${cliTypeName(key.type)}`).join(' ');
  return fail(
    `missing or of another type in namespace ${namespace}: ${missing.map((k) => `${k.name} (${cliTypeName(k.type)})`).join(', ')}`,
    `temporal operator search-attribute create --namespace ${namespace} ${args}`,
  );
}

/** `KEYWORD_LIST` → `KeywordList`, as the Temporal CLI spells types. */
function cliTypeName(type: string): string {
  return type
    .toLowerCase()
    .split('_')
    .map((w) => w[0]!.toUpperCase() + w.slice(1))
    .join('');
}

/** First whether anything polls the queue (fast), then a self-test workflow through it (end to end). */
async function workerServes(client: Client, ctx: DoctorContext): Promise<CheckOutcome> {
  const taskQueue = ctx.config.temporal.taskQueue;
  const described = await client.connection.workflowService.describeTaskQueue({
    namespace: client.options.namespace,
    taskQueue: { name: taskQueue },
    taskQueueType: TaskQueueType.TASK_QUEUE_TYPE_WORKFLOW,
  });
  if ((described.pollers ?? []).length === 0) {
    return fail(`no worker polls task queue ${taskQueue}`, startWorkerFix(ctx));
  }
  let result;
  try {
    result = await client.workflow.execute<typeof selfTestWorkflow>('selfTestWorkflow', {
      taskQueue,
      workflowId: `self-test-${Date.now()}`,
      workflowExecutionTimeout: ctx.workerTimeoutMs,
    });
  } catch (err) {
    if (!(err instanceof WorkflowFailedError && err.cause instanceof TimeoutFailure)) throw err;
    // Temporal remembers pollers for minutes: the worker seen may have stopped since.
    const seen = (described.pollers ?? []).map((p) => p.identity).join(', ');
    return fail(
      `no worker ran a self-test workflow on task queue ${taskQueue} within ${ctx.workerTimeoutMs / 1000} s (recently seen: ${seen})`,
      startWorkerFix(ctx),
    );
  }
  // Every post to Discord goes through the send queue's own worker (the worker role runs both).
  const sendQueue = discordSendTaskQueue(taskQueue);
  const senders = await client.connection.workflowService.describeTaskQueue({
    namespace: client.options.namespace,
    taskQueue: { name: sendQueue },
    taskQueueType: TaskQueueType.TASK_QUEUE_TYPE_ACTIVITY,
  });
  if ((senders.pollers ?? []).length === 0) {
    return fail(
      `${result.workerIdentity} serves task queue ${taskQueue}, but no worker polls the Discord send queue ${sendQueue}, so nothing reaches Discord`,
      startWorkerFix(ctx),
    );
  }
  return pass(
    `${result.workerIdentity} ran a self-test workflow on task queue ${taskQueue}; ${sendQueue} served`,
  );
}

function startWorkerFix(ctx: DoctorContext): string {
  return (
    'start flexcord (`npm start`, or `flexcord start --role worker` for the worker alone) with the same ' +
    `TEMPORAL_* settings and TEMPORAL_TASK_QUEUE=${ctx.config.temporal.taskQueue}`
  );
}
