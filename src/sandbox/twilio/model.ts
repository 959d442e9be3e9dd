import { newSid } from './sids';

/*
 * The fake's state: the resources flexcord touches, held in memory with the fields Twilio returns.
 * JSON rendering lives beside each type so the REST layer stays a thin router.
 */

export const HOSTS = {
  conversations: 'https://conversations.twilio.com',
  flex: 'https://flex-api.twilio.com',
  taskrouter: 'https://taskrouter.twilio.com',
};

export type ConversationState = 'initializing' | 'inactive' | 'active' | 'closed';

export interface Conversation {
  sid: string;
  uniqueName: string | null;
  friendlyName: string | null;
  attributes: string;
  state: ConversationState;
  timers: { inactive?: string; closed?: string };
  createdAt: Date;
  updatedAt: Date;
  participants: Participant[];
  messages: Message[];
  webhooks: ScopedWebhook[];
}

export interface Participant {
  sid: string;
  identity: string | null;
  attributes: string;
  roleSid: string;
  createdAt: Date;
}

export interface Message {
  sid: string;
  index: number;
  author: string;
  body: string | null;
  attributes: string;
  participantSid: string | null;
  createdAt: Date;
  /** Set once the message is edited. */
  updatedAt?: Date;
}

export interface ScopedWebhook {
  sid: string;
  target: 'webhook' | 'trigger' | 'studio';
  url: string | null;
  method: string;
  filters: string[];
  createdAt: Date;
}

export interface Interaction {
  sid: string;
  channel: InteractionChannel;
  routing: Record<string, unknown>;
  taskSid: string;
}

export interface InteractionChannel {
  sid: string;
  interactionSid: string;
  type: string;
  status: 'setup' | 'active' | 'failed' | 'closed' | 'inactive' | 'pause' | 'transfer';
  mediaChannelSid: string;
  errorCode: number | null;
  errorMessage: string | null;
  /** Fetches left before `setup` turns into `active` (Flex sets channels up asynchronously). */
  setupFetchesLeft: number;
  failWith?: { code: number; message: string };
  /** Who is on the channel: the customer, and each agent who accepted one of its tasks. */
  participants: ChannelParticipant[];
  /** Each invite made a new task on this channel (Flex's transfer and multi-agent flow). */
  invites: ChannelInvite[];
}

/** An interaction channel participant (`UT…`); an agent's is tied to the task they accepted. */
export interface ChannelParticipant {
  sid: string;
  type: 'customer' | 'agent' | 'supervisor' | 'external' | 'unknown';
  /** `active` until the participant is updated to `wrapup` or `closed` (the agent leaves the channel). */
  status: 'active' | 'wrapup' | 'closed';
  taskSid?: string;
  workerSid?: string;
  reservationSid?: string;
  /** The Conversations identity the agent writes as (the fake's own link between the two APIs). */
  identity?: string;
}

/** An invite (`KG…`) and the task it created. */
export interface ChannelInvite {
  sid: string;
  taskSid: string;
  createdAt: Date;
}

/** Task statuses in which someone is still coming or still there. */
export const LIVE_TASK_STATUSES: readonly TaskStatus[] = ['pending', 'reserved', 'assigned'];

export type TaskStatus = 'pending' | 'reserved' | 'assigned' | 'canceled' | 'completed' | 'wrapping';

export interface Task {
  sid: string;
  workspaceSid: string;
  workflowSid: string;
  taskChannel: string;
  attributes: Record<string, unknown>;
  status: TaskStatus;
  priority: number;
  reason: string | null;
  createdAt: Date;
  updatedAt: Date;
  reservationSid?: string;
  workerSid?: string;
  /** When an agent accepted the reservation: feeds the workflow's acceptance statistics. */
  acceptedAt?: Date;
}

export const ROLE_PARTICIPANT = newSid('RL');
export const TASK_QUEUE = newSid('WQ');
export const TASK_CHANNEL = newSid('TC');

export function iso(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

export function conversationJson(accountSid: string, serviceSid: string, c: Conversation) {
  const url = `${HOSTS.conversations}/v1/Conversations/${c.sid}`;
  return {
    sid: c.sid,
    account_sid: accountSid,
    chat_service_sid: serviceSid,
    messaging_service_sid: null,
    friendly_name: c.friendlyName,
    unique_name: c.uniqueName,
    attributes: c.attributes,
    state: c.state,
    date_created: iso(c.createdAt),
    date_updated: iso(c.updatedAt),
    timers: timersJson(c),
    bindings: null,
    url,
    links: {
      participants: `${url}/Participants`,
      messages: `${url}/Messages`,
      webhooks: `${url}/Webhooks`,
    },
  };
}

function timersJson(c: Conversation) {
  if (c.state === 'closed') return {};
  const out: Record<string, string> = {};
  const inactive = durationMs(c.timers.inactive);
  const closed = durationMs(c.timers.closed);
  if (inactive) out.date_inactive = iso(new Date(c.updatedAt.getTime() + inactive));
  if (closed) out.date_closed = iso(new Date(c.updatedAt.getTime() + closed));
  return out;
}

/** ISO 8601 durations as Twilio's timers take them (PnDTnHnMnS). */
export function durationMs(value: string | undefined): number | undefined {
  if (!value) return undefined;
  const m = /^P(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+)S)?)?$/.exec(value);
  if (!m || value === 'P' || value.endsWith('T')) return undefined;
  const [, d, h, min, s] = m.map((x) => Number(x ?? 0));
  return (((d! * 24 + h!) * 60 + min!) * 60 + s!) * 1000;
}

export function participantJson(accountSid: string, c: Conversation, p: Participant) {
  return {
    sid: p.sid,
    account_sid: accountSid,
    conversation_sid: c.sid,
    identity: p.identity,
    attributes: p.attributes,
    messaging_binding: null,
    role_sid: p.roleSid,
    date_created: iso(p.createdAt),
    date_updated: iso(p.createdAt),
    url: `${HOSTS.conversations}/v1/Conversations/${c.sid}/Participants/${p.sid}`,
    last_read_message_index: null,
    last_read_timestamp: null,
  };
}

export function messageJson(accountSid: string, c: Conversation, m: Message, media: unknown[] | null = null) {
  const url = `${HOSTS.conversations}/v1/Conversations/${c.sid}/Messages/${m.sid}`;
  return {
    sid: m.sid,
    account_sid: accountSid,
    conversation_sid: c.sid,
    index: m.index,
    author: m.author,
    body: m.body,
    media,
    attributes: m.attributes,
    participant_sid: m.participantSid,
    date_created: iso(m.createdAt),
    date_updated: iso(m.updatedAt ?? m.createdAt),
    delivery: null,
    content_sid: null,
    url,
    links: { delivery_receipts: `${url}/Receipts`, channel_metadata: `${url}/ChannelMetadata` },
  };
}

export function webhookJson(accountSid: string, c: Conversation, w: ScopedWebhook) {
  return {
    sid: w.sid,
    account_sid: accountSid,
    conversation_sid: c.sid,
    target: w.target,
    url: `${HOSTS.conversations}/v1/Conversations/${c.sid}/Webhooks/${w.sid}`,
    configuration: { url: w.url, method: w.method, filters: w.filters },
    date_created: iso(w.createdAt),
    date_updated: iso(w.createdAt),
  };
}

export function participantConversationJson(
  accountSid: string,
  serviceSid: string,
  c: Conversation,
  p: Participant,
) {
  return {
    account_sid: accountSid,
    chat_service_sid: serviceSid,
    participant_sid: p.sid,
    participant_user_sid: null,
    participant_identity: p.identity,
    participant_messaging_binding: null,
    conversation_sid: c.sid,
    conversation_unique_name: c.uniqueName,
    conversation_friendly_name: c.friendlyName,
    conversation_attributes: c.attributes,
    conversation_date_created: iso(c.createdAt),
    conversation_date_updated: iso(c.updatedAt),
    conversation_created_by: 'system',
    conversation_state: c.state,
    conversation_timers: timersJson(c),
    links: {
      participant: `${HOSTS.conversations}/v1/Conversations/${c.sid}/Participants/${p.sid}`,
      conversation: `${HOSTS.conversations}/v1/Conversations/${c.sid}`,
    },
  };
}

export function interactionJson(i: Interaction) {
  const url = `${HOSTS.flex}/v1/Interactions/${i.sid}`;
  return {
    sid: i.sid,
    channel: { type: i.channel.type, sid: i.channel.sid },
    routing: i.routing,
    url,
    links: { channels: `${url}/Channels` },
    interaction_context_sid: null,
    webhook_ttid: null,
  };
}

export function interactionChannelJson(ch: InteractionChannel) {
  const url = `${HOSTS.flex}/v1/Interactions/${ch.interactionSid}/Channels/${ch.sid}`;
  return {
    sid: ch.sid,
    interaction_sid: ch.interactionSid,
    type: ch.type,
    status: ch.status,
    error_code: ch.errorCode,
    error_message: ch.errorMessage,
    url,
    links: {
      participants: `${url}/Participants`,
      invites: `${url}/Invites`,
      transfers: `${url}/Transfers`,
    },
  };
}

function channelUrl(ch: InteractionChannel): string {
  return `${HOSTS.flex}/v1/Interactions/${ch.interactionSid}/Channels/${ch.sid}`;
}

export function channelParticipantJson(ch: InteractionChannel, p: ChannelParticipant) {
  return {
    sid: p.sid,
    type: p.type,
    interaction_sid: ch.interactionSid,
    channel_sid: ch.sid,
    url: `${channelUrl(ch)}/Participants/${p.sid}`,
    routing_properties: p.taskSid
      ? { task_sid: p.taskSid, worker_sid: p.workerSid ?? null, reservation_sid: p.reservationSid ?? null }
      : null,
  };
}

/** The `routing` block the Interactions API answers with: the task it created, as TaskRouter has it now. */
export function routingJson(t: Task) {
  return {
    reservation: null,
    properties: {
      sid: t.sid,
      workspace_sid: t.workspaceSid,
      workflow_sid: t.workflowSid,
      task_channel_unique_name: t.taskChannel,
      assignment_status: t.status,
      priority: t.priority,
      attributes: JSON.stringify(t.attributes),
      date_created: Math.floor(t.createdAt.getTime() / 1000),
      age: Math.floor((Date.now() - t.createdAt.getTime()) / 1000),
    },
  };
}

export function channelInviteJson(ch: InteractionChannel, invite: ChannelInvite, task: Task) {
  return {
    sid: invite.sid,
    interaction_sid: ch.interactionSid,
    channel_sid: ch.sid,
    routing: routingJson(task),
    url: `${channelUrl(ch)}/Invites/${invite.sid}`,
  };
}

export function taskJson(accountSid: string, t: Task) {
  const url = `${HOSTS.taskrouter}/v1/Workspaces/${t.workspaceSid}/Tasks/${t.sid}`;
  return {
    sid: t.sid,
    account_sid: accountSid,
    workspace_sid: t.workspaceSid,
    workflow_sid: t.workflowSid,
    workflow_friendly_name: 'Assign to Anyone',
    task_queue_sid: TASK_QUEUE,
    task_queue_friendly_name: 'Everyone',
    task_channel_sid: TASK_CHANNEL,
    task_channel_unique_name: t.taskChannel,
    attributes: JSON.stringify(t.attributes),
    assignment_status: t.status,
    priority: t.priority,
    reason: t.reason,
    age: Math.floor((Date.now() - t.createdAt.getTime()) / 1000),
    timeout: 86400,
    addons: '{}',
    date_created: iso(t.createdAt),
    date_updated: iso(t.updatedAt),
    task_queue_entered_date: iso(t.createdAt),
    virtual_start_time: iso(t.createdAt),
    ignore_capacity: false,
    routing_target: null,
    url,
    links: {
      reservations: `${url}/Reservations`,
      workspace: `${HOSTS.taskrouter}/v1/Workspaces/${t.workspaceSid}`,
    },
  };
}

/**
 * A workflow's CumulativeStatistics over the last `minutes`, derived from the fake's tasks: what entered, was
 * accepted, canceled or completed in the window, and the average wait until acceptance.
 */
export function workflowCumulativeStatisticsJson(
  accountSid: string,
  workspaceSid: string,
  workflowSid: string,
  tasks: Task[],
  minutes: number,
) {
  const end = new Date();
  const start = new Date(end.getTime() - minutes * 60_000);
  const inWindow = (d: Date | undefined) => d !== undefined && d >= start && d <= end;
  const accepted = tasks.filter((t) => inWindow(t.acceptedAt));
  const waits = accepted.map((t) => Math.round((t.acceptedAt!.getTime() - t.createdAt.getTime()) / 1000));
  const total = waits.reduce((a, b) => a + b, 0);
  const ended = (status: TaskStatus) =>
    tasks.filter((t) => t.status === status && inWindow(t.updatedAt)).length;
  return {
    account_sid: accountSid,
    avg_task_acceptance_time: waits.length > 0 ? Math.round(total / waits.length) : 0,
    start_time: iso(start),
    end_time: iso(end),
    reservations_created: accepted.length,
    reservations_accepted: accepted.length,
    reservations_rejected: 0,
    reservations_timed_out: 0,
    reservations_canceled: 0,
    reservations_rescinded: 0,
    split_by_wait_time: null,
    wait_duration_until_accepted: {
      avg: waits.length > 0 ? Math.round(total / waits.length) : 0,
      min: waits.length > 0 ? Math.min(...waits) : 0,
      max: waits.length > 0 ? Math.max(...waits) : 0,
      total,
    },
    wait_duration_until_canceled: { avg: 0, min: 0, max: 0, total: 0 },
    tasks_canceled: ended('canceled'),
    tasks_completed: ended('completed'),
    tasks_entered: tasks.filter((t) => inWindow(t.createdAt)).length,
    tasks_deleted: 0,
    tasks_moved: 0,
    tasks_timed_out_in_workflow: 0,
    workflow_sid: workflowSid,
    workspace_sid: workspaceSid,
    url: `${HOSTS.taskrouter}/v1/Workspaces/${workspaceSid}/Workflows/${workflowSid}/CumulativeStatistics`,
  };
}
