import { type Command } from 'commander';
import { loadConfig } from '../../config';
import { commandLineTarget, connectClient } from '../../temporal/connect';
import type { selfTestWorkflow } from '../../workflows/self-test';

export function registerDoctorCommand(program: Command): void {
  program
    .command('doctor')
    .description('check that Temporal answers and a worker serves the task queue (runs a self-test workflow)')
    .option('--timeout <seconds>', 'how long to wait for a worker', '20')
    .action(async (opts: { timeout: string }) => {
      const config = loadConfig();
      const target = commandLineTarget(config);
      const { client, connection } = await connectClient(target);
      try {
        console.log(`Temporal at ${target.address} (namespace ${target.namespace}): reachable`);
        const result = await client.workflow.execute<typeof selfTestWorkflow>('selfTestWorkflow', {
          taskQueue: config.temporal.taskQueue,
          workflowId: `self-test-${Date.now()}`,
          workflowExecutionTimeout: `${Number(opts.timeout)}s`,
        });
        console.log(`worker ${result.workerIdentity} serves task queue ${config.temporal.taskQueue}`);
      } finally {
        await connection.close();
      }
    });
}
