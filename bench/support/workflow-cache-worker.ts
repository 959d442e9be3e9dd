import { Client, Connection } from '@temporalio/client';
import { bundleWorkflowCode, DefaultLogger, NativeConnection, Runtime, Worker } from '@temporalio/worker';
import { workflowInterceptorModules, workflowTracingSinks } from '../../src/observability/workflow-tracing';
import { discordSendTaskQueue } from '../../src/shared/task-queue';
import { sendUserMessage } from '../../src/temporal/support-client';
import { WORKFLOWS_PATH } from '../../src/worker/create-worker';
import { FakeSupportWorld } from '../../test/fakes/support-activities';
import { newSupportInput, userMessage } from '../../test/support/conversation-helpers';

/*
 * One side of `npm run bench -- workflow-cache`, in a process of its own so its memory is its own: a worker with
 * flexcord's workflow bundle (with or without the tracing interceptor, TRACED=1|0) and in-memory activities opens
 * CONVERSATIONS support conversations (a question each, answered by the bot), all kept cached, and prints its
 * resident memory and CPU as JSON lines at the start and after each half.
 */
const address = process.env.ADDR!;
const total = Number(process.env.CONVERSATIONS ?? 600);
const traced = process.env.TRACED === '1';

function sample(open: number) {
  (globalThis as { gc?: () => void }).gc?.();
  const cpu = process.cpuUsage();
  console.log(
    JSON.stringify({
      open,
      rssMiB: Number((process.memoryUsage().rss / 2 ** 20).toFixed(1)),
      cpuSeconds: Number(((cpu.user + cpu.system) / 1e6).toFixed(2)),
      at: Date.now(),
    }),
  );
}

async function main() {
  Runtime.install({ logger: new DefaultLogger('ERROR') });
  const workflowBundle = await bundleWorkflowCode({
    workflowsPath: WORKFLOWS_PATH,
    workflowInterceptorModules: workflowInterceptorModules(traced),
    logger: new DefaultLogger('ERROR'),
  });
  const connection = await NativeConnection.connect({ address });
  const client = new Client({ connection: await Connection.connect({ address }) });
  const world = new FakeSupportWorld();
  const taskQueue = `workflow-cache-${traced ? 'traced' : 'plain'}-${process.pid}`;
  const worker = await Worker.create({
    connection,
    taskQueue,
    workflowBundle,
    activities: world.activities(),
    sinks: workflowTracingSinks(),
    maxCachedWorkflows: total + 10,
  });
  const sends = await Worker.create({
    connection,
    taskQueue: discordSendTaskQueue(taskQueue),
    activities: world.activities(),
  });
  await worker.runUntil(
    sends.runUntil(async () => {
      const open = async (count: number) => {
        const target = world.sent.length + count;
        for (let i = 0; i < count; i++)
          await sendUserMessage(client, {
            taskQueue,
            input: newSupportInput(),
            event: userMessage('How do I reset my password?'),
          });
        while (world.sent.length < target) await new Promise((r) => setTimeout(r, 100));
        await new Promise((r) => setTimeout(r, 2000));
      };
      await open(1); // the bundle loaded and one workflow run: the baseline
      sample(1);
      const half = Math.floor(total / 2);
      await open(half - 1);
      sample(half);
      await open(total - half);
      sample(total);
    }),
  );
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
