import { z } from 'zod';
import { readableAgentName } from '../../activities/twilio/identity';
import { type FlexEventOrigin } from '../../shared/support-types';
import { type AgentEvent } from '../../temporal/support-client';

/*
 * TaskRouter workspace event callbacks (form-encoded; field names from the TaskRouter event reference).
 * flexcord puts the workflow id into the task attributes when it hands a conversation to Flex, so every task
 * event can find its conversation without a lookup.
 */

export const taskrouterEventSchema = z.looseObject({
  EventType: z.string().min(1),
  Sid: z.string().optional(),
  ResourceSid: z.string().optional(),
  TaskSid: z.string().optional(),
  TaskAttributes: z.string().optional(),
  ReservationSid: z.string().optional(),
  WorkerName: z.string().optional(),
  WorkerAttributes: z.string().optional(),
});

export type TaskrouterEvent = z.infer<typeof taskrouterEventSchema>;

export type MappedTaskEvent =
  | {
      kind: 'signal';
      workflowId: string;
      dedupeKey: string;
      event: AgentEvent;
      /** Set for reservation.accepted: lets later message webhooks show the worker's name. */
      agent?: { conversationSid?: string; identity: string; name: string };
    }
  | { kind: 'ignore'; reason: string };

const CLOSING_EVENTS = {
  'task.wrapup': 'agent_closed',
  'task.completed': 'task_completed',
  'task.canceled': 'task_canceled',
} as const;

export function mapTaskrouterEvent(event: TaskrouterEvent): MappedTaskEvent {
  const isAccepted = event.EventType === 'reservation.accepted';
  const closing = CLOSING_EVENTS[event.EventType as keyof typeof CLOSING_EVENTS];
  if (!isAccepted && !closing) return { kind: 'ignore', reason: `event_${event.EventType}` };
  const task = parseJson(event.TaskAttributes);
  const workflowId = typeof task.flexcordWorkflowId === 'string' ? task.flexcordWorkflowId : undefined;
  if (!workflowId) return { kind: 'ignore', reason: 'not_a_flexcord_task' };
  const taskSid = event.TaskSid ?? event.ResourceSid ?? 'unknown-task';
  const origin = taskOrigin(task, event.TaskSid ?? event.ResourceSid);

  if (isAccepted) {
    const worker = parseJson(event.WorkerAttributes);
    const contact =
      typeof worker.contact_uri === 'string' ? worker.contact_uri.replace(/^client:/, '') : undefined;
    const identity = contact ?? event.WorkerName ?? 'agent';
    const name =
      (typeof worker.full_name === 'string' && worker.full_name.trim()) ||
      event.WorkerName ||
      readableAgentName(identity);
    const eventId = event.Sid ?? event.ReservationSid ?? `${taskSid}:accepted`;
    return {
      kind: 'signal',
      workflowId,
      dedupeKey: `taskrouter:${eventId}`,
      event: { kind: 'joined', eventId, agentIdentity: identity, agentName: name, ...origin },
      agent: {
        conversationSid: typeof task.conversationSid === 'string' ? task.conversationSid : undefined,
        identity,
        name,
      },
    };
  }
  // Wrap-up, completion and cancellation each happen once per task.
  const eventId = `${taskSid}:${event.EventType}`;
  return {
    kind: 'signal',
    workflowId,
    dedupeKey: `taskrouter:${eventId}`,
    event: { kind: 'closed', eventId, reason: closing!, ...origin },
  };
}

/**
 * The conversation, interaction channel and task a task event belongs to: Flex writes `conversationSid` and
 * `flexInteractionChannelSid` into every task it creates for an interaction (flexcord also sets `conversationSid`).
 */
function taskOrigin(attributes: Record<string, unknown>, taskSid: string | undefined): FlexEventOrigin {
  const text = (value: unknown) => (typeof value === 'string' && value ? value : undefined);
  const origin: FlexEventOrigin = {};
  const conversationSid = text(attributes.conversationSid);
  const channelSid = text(attributes.flexInteractionChannelSid);
  if (conversationSid) origin.conversationSid = conversationSid;
  if (channelSid) origin.channelSid = channelSid;
  if (taskSid) origin.taskSid = taskSid;
  return origin;
}

function parseJson(text: string | undefined): Record<string, unknown> {
  if (!text) return {};
  try {
    const parsed: unknown = JSON.parse(text);
    return parsed && typeof parsed === 'object' ? (parsed as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}
