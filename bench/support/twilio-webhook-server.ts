import { Client, Connection } from '@temporalio/client';
import { Router } from 'express';
import pino from 'pino';
import { signalAgentEvent } from '../../src/temporal/support-client';
import { createWebhookApp } from '../../src/webhooks/app';
import { listen } from '../../src/webhooks/http-server';
import { createTwilioWebhookRouter } from '../../src/webhooks/twilio/twilio-router';

/*
 * The system under test for webhooks.bench.ts, in its own process as in production (the load generator must not
 * share its event loop): the webhook app with the Twilio router, signalling through a real Temporal client.
 * Prints `READY <port>` once listening; stops on SIGTERM.
 */
async function main() {
  const address = process.env.BENCH_TEMPORAL_ADDRESS!;
  const authToken = process.env.BENCH_AUTH_TOKEN!;
  const connection = await Connection.connect({ address });
  const client = new Client({ connection });
  const logger = pino({ level: 'warn' });
  const holder = Router();
  const app = createWebhookApp({
    logger,
    readiness: async () => undefined,
    routers: [{ path: '/twilio', router: holder }],
  });
  const server = await listen(app, 0, '127.0.0.1');
  holder.use(
    createTwilioWebhookRouter({
      authToken,
      publicBaseUrl: `http://127.0.0.1:${server.port}`,
      bodyLimit: '100kb',
      logger,
      // BENCH_SIGNAL=off is a diagnostic only (how much of the latency is ours vs. Temporal's); the goal is
      // judged with the signal on.
      deliver:
        process.env.BENCH_SIGNAL === 'off'
          ? async () => undefined
          : (input) => signalAgentEvent(client, input),
    }),
  );
  process.on('SIGTERM', () => {
    void server
      .close()
      .then(() => connection.close())
      .then(() => process.exit(0));
  });
  console.log(`READY ${server.port}`);
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
