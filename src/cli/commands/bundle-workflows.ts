import { type Command } from 'commander';
import { writeWorkflowBundle } from '../../worker/create-worker';
import { workflowBundlePath } from '../../app/paths';

export function registerBundleWorkflowsCommand(program: Command): void {
  program
    .command('bundle-workflows')
    .description('prebundle the workflow code so a production worker starts fast (part of `npm run build`)')
    .option('--out <file>', 'where to write the bundle', workflowBundlePath())
    .option(
      '--traced-out <file>',
      'where to write the bundle with the tracing interceptor (for workers with OTEL_* tracing on)',
      workflowBundlePath(true),
    )
    .action(async (opts: { out: string; tracedOut: string }) => {
      await writeWorkflowBundle(opts.out);
      await writeWorkflowBundle(opts.tracedOut, { traced: true });
      console.error(`workflow bundles written to ${opts.out} and ${opts.tracedOut}`);
    });
}
