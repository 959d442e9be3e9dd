import path from 'node:path';
import { createActivities } from '../../activities';
import { temporalPhaseCounter } from '../../observability/conversation-count';
import { buildActivityDeps } from '../dependencies';
import { connectWorker } from '../../temporal/connect-worker';
import { defaultCacheDir } from '../../temporal/cli-provision';
import { feedScheduleSettings, syncFeedSchedule } from '../../temporal/feed-schedule';
import { createWorker, defaultWorkerIdentity } from '../../worker/create-worker';
import { createDiscordSendWorker } from '../../worker/discord-send-worker';
import { DISCORD_DEFAULT_GLOBAL_RATE_LIMIT } from '../../shared/task-queue';
import { runningFromBuild, workflowBundlePath } from '../paths';
import { type RoleStarter } from '../role';

export const startWorkerRole: RoleStarter = async (ctx) => {
  const connection = await connectWorker(ctx.target);
  const identity = defaultWorkerIdentity();
  const built = await buildActivityDeps(ctx.config, ctx.logger, identity, ctx.observability);
  const activities = createActivities(built.deps);
  const traced = ctx.observability?.tracing !== undefined;
  const worker = await createWorker({
    connection,
    namespace: ctx.target.namespace,
    taskQueue: ctx.config.temporal.taskQueue,
    identity,
    activities,
    // Only the built app uses the prebundled code; from sources the bundle is keyed by a hash of the sources, so
    // an edit is never stale and an unchanged tree does not pay webpack again at every start.
    workflowBundlePath: runningFromBuild() ? workflowBundlePath(traced) : undefined,
    bundleCacheDir: path.join(defaultCacheDir(), 'workflow-bundles'),
    traced,
    maxCachedWorkflows: ctx.config.temporal.maxCachedWorkflows,
    logger: ctx.logger,
    activityInterceptors: ctx.observability?.activityInterceptors,
    sinks: ctx.observability?.workflowSinks,
    dataConverter: ctx.target.dataConverter,
  });
  const sendWorker = await createDiscordSendWorker({
    connection,
    namespace: ctx.target.namespace,
    taskQueue: ctx.config.temporal.taskQueue,
    identity,
    activities,
    globalRateLimit: ctx.config.discord.globalRateLimit ?? DISCORD_DEFAULT_GLOBAL_RATE_LIMIT,
    activityInterceptors: ctx.observability?.activityInterceptors,
    dataConverter: ctx.target.dataConverter,
  });
  ctx.observability?.metrics.countConversationsWith(
    temporalPhaseCounter(ctx.client, ctx.config.temporal.taskQueue),
  );
  const done = Promise.all([worker.run(), sendWorker.run()])
    .then(() => undefined)
    .finally(async () => {
      await connection.close();
      await built.close();
    });
  ctx.logger.info({ taskQueue: ctx.config.temporal.taskQueue }, 'worker polling');
  // A schedule problem must not take the worker down: support conversations matter more than the feed relay.
  syncFeedSchedule(ctx.client, feedScheduleSettings(ctx.config)).then(
    (outcome) => ctx.logger.info(outcome, 'feed relay schedule'),
    (err: unknown) => ctx.logger.error({ err }, 'could not sync the feed relay schedule'),
  );
  return {
    name: 'worker',
    done,
    async stop() {
      // Drains: in-flight activities get the shutdown grace period, then the run promise resolves.
      for (const w of [worker, sendWorker]) if (w.getState() === 'RUNNING') w.shutdown();
      await done;
    },
  };
};
