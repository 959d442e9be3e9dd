import { mountCaseApi } from '../../webhooks/api/mount';
import { createWebhookApp } from '../../webhooks/app';
import { listen } from '../../webhooks/http-server';
import { mediaLinkRouters } from '../../webhooks/media/mount';
import { codecRouters } from '../../webhooks/codec/mount';
import { twilioWebhookRouters } from '../../webhooks/twilio/mount';
import { Router } from 'express';
import { webhookMetrics } from '../../observability/webhook-metrics';
import { webhookSpans } from '../../observability/webhook-spans';
import { type RoleStarter } from '../role';

export const startWebhooksRole: RoleStarter = async (ctx) => {
  const caseApi = await mountCaseApi(ctx);
  const app = createWebhookApp({
    logger: ctx.logger,
    readiness: async () => {
      await ctx.client.connection.workflowService.getSystemInfo({});
    },
    routers: [
      // Counts (and traces) each Twilio webhook; mounted first so it sees every one, rejections included.
      ...(ctx.observability
        ? [
            {
              path: '/twilio',
              router: Router().use(
                ...(ctx.observability.tracing ? [webhookSpans()] : []),
                webhookMetrics(ctx.observability.metrics),
              ),
            },
          ]
        : []),
      ...twilioWebhookRouters(ctx),
      ...mediaLinkRouters(ctx),
      ...codecRouters(ctx),
      caseApi.mount,
      ...(ctx.httpRouters ?? []),
    ],
  });
  const server = await listen(app, ctx.config.http.port, ctx.config.http.host).catch(async (err: unknown) => {
    await caseApi.close();
    throw err;
  });
  ctx.logger.info({ port: server.port }, `webhook server listening on http://localhost:${server.port}`);
  let resolveDone!: () => void;
  const done = new Promise<void>((resolve) => (resolveDone = resolve));
  return {
    name: 'webhooks',
    done,
    async stop() {
      await server.close();
      await caseApi.close();
      resolveDone();
    },
  };
};
