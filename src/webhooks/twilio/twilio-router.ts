import express, { type Request, type Response, Router } from 'express';
import { type Logger } from 'pino';
import { z } from 'zod';
import { ConversationNotFoundError, type AgentEvent } from '../../temporal/support-client';
import {
  mapConversationEvent,
  nameKey,
  parseConversationEvent,
  type MediaLinker,
} from './conversation-events';
import { BoundedMap, RecentKeys } from './recent-keys';
import { mapTaskrouterEvent, taskrouterEventSchema } from './taskrouter-events';
import { requireTwilioSignature } from './twilio-signature';

/** Delivers an agent event to its conversation workflow (signalAgentEvent in production, a spy in tests). */
export type AgentEventSink = (input: { workflowId: string; event: AgentEvent }) => Promise<void>;

export interface TwilioWebhookOptions {
  authToken: string;
  /** The URL Twilio reaches us at (what the signature covers), e.g. https://support.example.com. */
  publicBaseUrl: string;
  /** express body-parser limit, e.g. `100kb`; larger bodies get 413. */
  bodyLimit: string;
  deliver: AgentEventSink;
  logger: Logger;
  /** Makes agent attachments openable from Discord (signed /media links); without it they are only named. */
  mediaLink?: MediaLinker;
}

/**
 * `POST /conversations` (conversation-scoped webhooks; the workflow id is in the URL flexcord registered) and
 * `POST /taskrouter` (workspace event callbacks; the workflow id is in the task attributes). Mount under /twilio.
 *
 * Each request is answered as soon as the signal is accepted by Temporal, which is durable from then on; all
 * slower work happens in the workflow and its activities. A failed signal answers 503 and forgets the event, so a
 * redelivery is handled.
 */
export function createTwilioWebhookRouter(options: TwilioWebhookOptions): Router {
  const router = Router();
  const seen = new RecentKeys();
  const agentNames = new BoundedMap<string>();
  const log = options.logger.child({ component: 'twilio-webhooks' });

  router.use(express.urlencoded({ extended: false, limit: options.bodyLimit, parameterLimit: 200 }));
  router.use((req, res, next) => {
    if (req.method === 'POST' && !req.is('application/x-www-form-urlencoded')) {
      res.status(400).json({ error: 'expected_form_body' });
      return;
    }
    next();
  });
  router.use(requireTwilioSignature({ authToken: options.authToken, publicBaseUrl: options.publicBaseUrl }));

  async function signalOnce(
    res: Response,
    workflowId: string,
    dedupeKey: string,
    event: AgentEvent,
    ok: () => void,
  ): Promise<void> {
    if (!seen.claim(`${workflowId}|${dedupeKey}`)) {
      log.debug({ workflowId, eventId: event.eventId }, 'duplicate Twilio event ignored');
      res.locals.webhookOutcome = 'duplicate';
      ok();
      return;
    }
    try {
      await options.deliver({ workflowId, event });
      res.locals.webhookOutcome = 'signalled';
      ok();
    } catch (err) {
      if (err instanceof ConversationNotFoundError) {
        // The conversation ended or never existed here: nothing to tell, and Twilio must not keep retrying.
        log.info({ workflowId, kind: event.kind }, 'Twilio event for a conversation that is not running');
        res.locals.webhookOutcome = 'not_running';
        ok();
        return;
      }
      seen.release(`${workflowId}|${dedupeKey}`);
      log.error({ err, workflowId, kind: event.kind }, 'could not signal the conversation workflow');
      res.status(503).json({ error: 'temporal_unavailable' });
    }
  }

  router.post('/conversations', async (req: Request, res: Response) => {
    // Outcomes not set below (events flexcord does not act on) count as `ignored` in the webhook metrics.
    res.locals.webhookOutcome = 'ignored';
    const ok = () => void res.status(200).end();
    const parsed = parseConversationEvent(req.body);
    if (!parsed.ok) {
      log.warn({ error: parsed.error }, 'malformed Conversations webhook');
      res.status(400).json({ error: 'malformed_event', detail: parsed.error });
      return;
    }
    if ('ignored' in parsed) return ok();
    const workflowId = typeof req.query.workflowId === 'string' ? req.query.workflowId : undefined;
    if (!workflowId) {
      log.warn(
        { eventType: parsed.event.EventType, conversationSid: parsed.event.ConversationSid },
        'Conversations webhook without a workflow id (not a flexcord conversation webhook): ignored',
      );
      return ok();
    }
    const mapped = mapConversationEvent(parsed.event, agentNames, options.mediaLink);
    if (mapped.kind === 'ignore') return ok();
    if (mapped.event.kind === 'joined') {
      agentNames.set(
        nameKey(parsed.event.ConversationSid, mapped.event.agentIdentity),
        mapped.event.agentName,
      );
    }
    await signalOnce(res, workflowId, mapped.dedupeKey, mapped.event, ok);
  });

  router.post('/taskrouter', async (req: Request, res: Response) => {
    // TaskRouter asks for 204 No Content with a JSON content type.
    res.locals.webhookOutcome = 'ignored';
    const ok = () => void res.status(204).type('application/json').end();
    const parsed = taskrouterEventSchema.safeParse(req.body);
    if (!parsed.success) {
      res.status(400).json({ error: 'malformed_event' });
      return;
    }
    const mapped = mapTaskrouterEvent(parsed.data);
    if (mapped.kind === 'ignore') {
      if (mapped.reason === 'not_a_flexcord_task') {
        log.info(
          { eventType: parsed.data.EventType, taskSid: parsed.data.TaskSid },
          'TaskRouter event for a task flexcord did not create',
        );
      }
      return ok();
    }
    if (mapped.agent?.conversationSid) {
      agentNames.set(nameKey(mapped.agent.conversationSid, mapped.agent.identity), mapped.agent.name);
    }
    await signalOnce(res, mapped.workflowId, mapped.dedupeKey, mapped.event, ok);
  });

  // `flexcord doctor` calls this through PUBLIC_BASE_URL, signed like a Twilio webhook: an answer carrying its nonce
  // proves the public URL reaches this server and that it checks signatures with the same auth token.
  router.post('/doctor', (req: Request, res: Response) => {
    const nonce = doctorNonce.safeParse((req.body as Record<string, unknown>).Nonce);
    if (!nonce.success) {
      res.status(400).json({ error: 'bad_nonce' });
      return;
    }
    res.json({ service: 'flexcord-webhooks', nonce: nonce.data });
  });

  return router;
}

const doctorNonce = z.string().regex(/^[A-Za-z0-9_-]{16,64}$/);
