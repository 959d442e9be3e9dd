import { type Command } from 'commander';
import { writeWorkflowBundle } from '../../worker/create-worker';
import { workflowBundlePath } from '../../app/paths';

export function registerBundleWorkflowsCommand(program: Command): void {
  program
    .command('bundle-workflows')
    .description('prebundle the workflow code so a production worker starts fast (part of `npm run build`)')
    .option('--out <file>', 'where to write the bundle', workflowBundlePath())
    .action(async (opts: { out: string }) => {
      await writeWorkflowBundle(opts.out);
      console.error(`workflow bundle written to ${opts.out}`);
    });
}
