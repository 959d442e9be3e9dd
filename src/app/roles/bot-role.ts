import { startBot } from '../../bot/bot';
import { createDiscordClient } from '../../bot/create-client';
import { temporalConversations, temporalReports } from '../../bot/temporal-conversations';
import { openCaseStore } from '../../cases';
import { createCaseOperations, reportFollowUp } from '../../cases/report-client';
import { requireSettings } from '../../config';
import { openModeration } from '../../moderation';
import { tracedConversations } from '../../observability/bot-spans';
import { type RoleStarter } from '../role';

export const startBotRole: RoleStarter = async (ctx) => {
  requireSettings('bot', {
    DISCORD_TOKEN: ctx.config.discord.token,
    DISCORD_APPLICATION_ID: ctx.config.discord.applicationId,
  });
  const taskQueue = ctx.config.temporal.taskQueue;
  const caseStore = await openCaseStore(ctx.config);
  const moderation = await openModeration(caseStore.database, ctx.config, ctx.logger).catch(
    async (err: unknown) => {
      await caseStore.close();
      throw err;
    },
  );
  const client = createDiscordClient({ apiUrl: ctx.config.discord.apiUrl });
  ctx.observability?.observeDiscordRest(client.rest);
  let bot;
  try {
    bot = await startBot(
      client,
      {
        logger: ctx.logger,
        discord: ctx.config.discord,
        timings: ctx.config.support,
        conversations: ctx.observability?.tracing
          ? tracedConversations(temporalConversations(ctx.client, taskQueue))
          : temporalConversations(ctx.client, taskQueue),
        reports: temporalReports(ctx.client, taskQueue, reportFollowUp(ctx.config)),
        cases: createCaseOperations({ client: ctx.client, store: caseStore.store }),
        moderation,
        ...(ctx.observability ? { metrics: ctx.observability.metrics } : {}),
      },
      ctx.config.discord.token!,
    );
  } catch (err) {
    await client.destroy();
    await caseStore.close();
    throw err;
  }
  let resolveDone!: () => void;
  const done = new Promise<void>((resolve) => (resolveDone = resolve));
  return {
    name: 'bot',
    done,
    async stop() {
      await bot.stop();
      await caseStore.close();
      resolveDone();
    },
  };
};
