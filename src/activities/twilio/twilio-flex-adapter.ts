import { ApplicationFailure } from '@temporalio/common';
import { type Twilio } from 'twilio';
import { type Attachment } from '../../shared/support-types';
import { legacyCustomerIdentity, opaqueCustomerIdentity } from './identity';
import { type MediaLinker } from '../../media/message-media';
import { agentKey } from '../../shared/agent-identity';
import { tasksFingerprint } from '../../shared/flex-tasks';
import {
  named,
  readAgentMessages,
  readAgents,
  readConversation,
  readFlexUpdates,
  stateOf,
} from './flex-updates';
import {
  type FlexChannelStatus,
  type FlexConversationRef,
  type FlexHandoffRef,
  type FlexPort,
  type FlexTaskRef,
  type FlexTaskStatus,
  type FlexUpdates,
  type FlexWaitEstimate,
} from './port';
import { estimateWait } from './wait-estimate';
import { TwilioApiError } from './twilio-api-error';

/** Conversation events flexcord listens to on each conversation's scoped webhook. */
export const CONVERSATION_WEBHOOK_FILTERS = [
  'onMessageAdded',
  // An agent's edit or removal in Flex follows to Discord.
  'onMessageUpdated',
  'onMessageRemoved',
  'onParticipantAdded',
  'onConversationStateUpdated',
];

/** A channel's tasks read at once (one page): the first task, its transfers and declined invites. */
const HANDOFF_TASKS_LIMIT = 20;

/** Interaction channel states in which a handoff is still alive and can be reused. */
const LIVE_CHANNEL_STATES = new Set(['setup', 'active', 'pause', 'transfer']);

export interface TwilioFlexOptions {
  client: Twilio;
  workspaceSid: string;
  workflowSid: string;
  /** TaskRouter task channel unique name; Flex chat uses `chat`. */
  taskChannel: string;
  /** Unset: the account's default Conversations service (the one Flex uses unless configured otherwise). */
  conversationsServiceSid?: string;
  /** Public URL of `POST /twilio/conversations`; the workflow id is added as a query parameter. */
  conversationsWebhookUrl: string;
  /** ISO 8601 durations after which Twilio marks an idle conversation inactive, then closed. */
  timers: { inactive: string; closed: string };
  /** How long handToFlex waits for Flex to finish setting up the interaction channel. */
  interactionSetup?: { attempts: number; intervalMs: number };
  /** Signs links for agent attachments found by reconciliation, as the webhooks do for the ones they deliver. */
  mediaLink?: MediaLinker;
  /** The secret customer identities are an HMAC under (TWILIO_IDENTITY_SECRET, else derived from credentials). */
  identitySecret: string;
}

/** The conversation attributes flexcord writes; other keys (Flex's own) are kept as they are. */
interface FlexcordConversationAttributes {
  flexcordWorkflowId?: string;
  flexcordInteractionSid?: string;
  flexcordChannelSid?: string;
  [key: string]: unknown;
}

/** FlexPort on the real twilio client: Conversations for messages, Flex Interactions for routing. */
export class TwilioFlexAdapter implements FlexPort {
  private readonly opaqueIdentity: (discordUserId: string) => string;

  constructor(private readonly options: TwilioFlexOptions) {
    this.opaqueIdentity = opaqueCustomerIdentity(options.identitySecret);
  }

  async ensureConversation(
    input: Parameters<FlexPort['ensureConversation']>[0],
  ): Promise<FlexConversationRef> {
    const identity = input.opaqueIdentity
      ? this.opaqueIdentity(input.user.userId)
      : legacyCustomerIdentity(input.user.userId);
    const conversationSid =
      (await this.findOpenConversation(identity, input.workflowId)) ??
      (await this.fetchOrCreateConversation(input));
    await this.ensureCustomerParticipant(conversationSid, identity, input.user.userName);
    await this.ensureWebhook(conversationSid, this.webhookUrlFor(input.workflowId));
    return { conversationSid, customerIdentity: identity };
  }

  async postCustomerMessage(
    input: Parameters<FlexPort['postCustomerMessage']>[0],
  ): Promise<{ messageSid: string; index?: number }> {
    const messages = this.conversation(input.conversation.conversationSid).messages;
    // A retried activity may have posted already: look for the Discord message id among the latest messages.
    const recent = await messages.list({ order: 'desc', limit: 30 });
    const already = recent.find((m) => parseAttributes(m.attributes).discordMessageId === input.dedupeKey);
    if (already) return { messageSid: already.sid, index: already.index };
    const created = await messages.create({
      author: input.conversation.customerIdentity,
      body: messageBody(input.text, input.attachments),
      attributes: JSON.stringify({ discordMessageId: input.dedupeKey }),
    });
    return { messageSid: created.sid, index: created.index };
  }

  async handToFlex(input: Parameters<FlexPort['handToFlex']>[0]): Promise<FlexHandoffRef> {
    const conversation = this.conversation(input.conversation.conversationSid);
    const attributes = parseAttributes(
      (await conversation.fetch()).attributes,
    ) as FlexcordConversationAttributes;
    const reusable = await this.liveHandoff(attributes);
    if (reusable) return reusable;

    // Creating the interaction and remembering it are two calls: an earlier attempt may have created it and lost
    // the answer (a timeout, a dead worker) or died before the write. Its task knows: Flex writes the interaction
    // and channel into the task attributes, next to the conversation and workflow flexcord routes with.
    const handoff = (await this.handoffCreatedEarlier(input)) ?? (await this.createInteraction(input));
    // Remembered on the conversation so a retried handoff finds it at once instead of opening a second Flex task.
    await conversation.update({
      attributes: JSON.stringify({
        ...attributes,
        flexcordInteractionSid: handoff.interactionSid,
        flexcordChannelSid: handoff.channelSid,
      }),
    });
    await this.waitForChannelSetup(handoff);
    return handoff;
  }

  /**
   * A live handoff an earlier attempt of this hand-over created but never recorded: the newest task routed for this
   * conversation and workflow whose interaction channel is still live (an ended earlier handoff does not count).
   */
  private async handoffCreatedEarlier(
    input: Parameters<FlexPort['handToFlex']>[0],
  ): Promise<FlexHandoffRef | undefined> {
    const tasks = await this.options.client.taskrouter.v1.workspaces(this.options.workspaceSid).tasks.list({
      evaluateTaskAttributes: `conversationSid == "${input.conversation.conversationSid}" AND flexcordWorkflowId == "${input.workflowId}"`,
      ordering: 'DateCreated:desc',
      limit: HANDOFF_TASKS_LIMIT,
    });
    for (const task of tasks) {
      const found = parseAttributes(task.attributes);
      const interactionSid = found.flexInteractionSid;
      const channelSid = found.flexInteractionChannelSid;
      if (typeof interactionSid !== 'string' || typeof channelSid !== 'string') continue;
      const live = await this.liveHandoff({
        flexcordInteractionSid: interactionSid,
        flexcordChannelSid: channelSid,
      });
      if (live) return live;
    }
    return undefined;
  }

  private async createInteraction(input: Parameters<FlexPort['handToFlex']>[0]): Promise<FlexHandoffRef> {
    const interaction = await this.options.client.flexApi.v1.interaction.create({
      channel: {
        type: 'chat',
        initiated_by: 'customer',
        properties: { media_channel_sid: input.conversation.conversationSid },
      },
      routing: {
        properties: {
          workspace_sid: this.options.workspaceSid,
          workflow_sid: this.options.workflowSid,
          task_channel_unique_name: this.options.taskChannel,
          attributes: {
            ...input.taskAttributes,
            caseNumber: input.caseNumber,
            customerAddress: input.conversation.customerIdentity,
            conversationSid: input.conversation.conversationSid,
            flexcordWorkflowId: input.workflowId,
          },
        },
      },
    });
    return { interactionSid: interaction.sid, channelSid: (interaction.channel as { sid: string }).sid };
  }

  async escalate(input: Parameters<FlexPort['escalate']>[0]): Promise<void> {
    const workspace = this.options.client.taskrouter.v1.workspaces(this.options.workspaceSid);
    // Flex writes the interaction channel sid into the task attributes; only tasks still waiting matter.
    const tasks = await workspace.tasks.list({
      evaluateTaskAttributes: `flexInteractionChannelSid == "${input.handoff.channelSid}"`,
      assignmentStatus: ['pending', 'reserved'],
      limit: 20,
    });
    for (const task of tasks) {
      if (task.priority < input.priority)
        await workspace.tasks(task.sid).update({ priority: input.priority });
    }
  }

  async fetchUpdates(input: Parameters<FlexPort['fetchUpdates']>[0]): Promise<FlexUpdates> {
    if (input.known) return this.fetchUpdatesTiered({ ...input, known: input.known });
    const [updates, channelStatus, tasks] = await Promise.all([
      this.readConversation(input.conversation.conversationSid, input.afterMessageIndex),
      input.handoff ? this.channelStatus(input.handoff) : undefined,
      input.handoff ? this.handoffTasks({ handoff: input.handoff }) : undefined,
    ]);
    const task = tasks?.[0];
    return {
      ...updates,
      ...(channelStatus ? { channelStatus } : {}),
      ...(task ? { task } : {}),
      ...(tasks ? { tasks } : {}),
    };
  }

  /**
   * Reconciliation at scale: every conversation with Flex is read every so often, and most reads find nothing
   * new, so each read asks only what it must, one request after the other (no burst of five per conversation):
   * the conversation (closed: its last messages and nothing more), its new messages, the channel's tasks; the
   * participants only when a message comes from someone not yet announced or the tasks changed (someone may have
   * joined without writing); the channel's status only when it has no task at all.
   */
  private async fetchUpdatesTiered(
    input: Parameters<FlexPort['fetchUpdates']>[0] & {
      known: NonNullable<Parameters<FlexPort['fetchUpdates']>[0]['known']>;
    },
  ): Promise<FlexUpdates> {
    const conversation = this.conversation(input.conversation.conversationSid);
    const current = await ignoreNotFound(readConversation(conversation));
    // Deleted (by retention or an operator): nothing more will come from it.
    if (!current) return { messages: [], agents: [], state: 'closed' };
    const read = await readAgentMessages(
      conversation,
      input.afterMessageIndex,
      current,
      this.options.mediaLink,
    );
    const state = stateOf(current);
    if (state === 'closed') return { ...read, agents: [], state };

    const tasks = input.handoff ? await this.handoffTasks({ handoff: input.handoff }) : undefined;
    const known = new Set(input.known.agentKeys);
    const newAuthor = read.messages.some((m) => !known.has(agentKey(m.agentIdentity)));
    const tasksChanged = tasks !== undefined && tasksFingerprint(tasks) !== input.known.tasks;
    const nothingElseTells = !input.handoff && known.size === 0;
    const agents = newAuthor || tasksChanged || nothingElseTells ? await readAgents(conversation) : [];
    const channelStatus =
      input.handoff && tasks?.length === 0 ? await this.channelStatus(input.handoff) : undefined;
    return {
      messages: named(read.messages, agents),
      agents,
      state,
      lastMessageIndex: read.lastMessageIndex,
      ...(channelStatus ? { channelStatus } : {}),
      ...(tasks?.[0] ? { task: tasks[0] } : {}),
      ...(tasks ? { tasks } : {}),
    };
  }

  async handoffTasks(input: { handoff: FlexHandoffRef }): Promise<FlexTaskRef[]> {
    // Flex writes the channel sid into its tasks' attributes; a transfer adds a newer task to the same channel.
    const tasks = await this.options.client.taskrouter.v1.workspaces(this.options.workspaceSid).tasks.list({
      evaluateTaskAttributes: `flexInteractionChannelSid == "${input.handoff.channelSid}"`,
      ordering: 'DateCreated:desc',
      limit: HANDOFF_TASKS_LIMIT,
    });
    return tasks.map((t) => ({ sid: t.sid, status: t.assignmentStatus as FlexTaskStatus }));
  }

  async estimateWait(input: Parameters<FlexPort['estimateWait']>[0]): Promise<FlexWaitEstimate> {
    return estimateWait(this.options, input.handoff);
  }

  async close(input: Parameters<FlexPort['close']>[0]): Promise<void> {
    if (input.handoff) {
      const channel = this.options.client.flexApi.v1
        .interaction(input.handoff.interactionSid)
        .channels(input.handoff.channelSid);
      const current = await ignoreNotFound(channel.fetch());
      if (current && LIVE_CHANNEL_STATES.has(current.status)) await channel.update({ status: 'closed' });
    }
    const conversation = this.conversation(input.conversation.conversationSid);
    const current = await ignoreNotFound(conversation.fetch());
    if (current && current.state !== 'closed') await conversation.update({ state: 'closed' });
  }

  // ---- helpers ----

  private async readConversation(sid: string, afterMessageIndex: number | undefined): Promise<FlexUpdates> {
    try {
      return await readFlexUpdates(this.conversation(sid), afterMessageIndex, this.options.mediaLink);
    } catch (err) {
      // Deleted (by retention or an operator): nothing more will come from it.
      if (err instanceof TwilioApiError && err.status === 404)
        return { messages: [], agents: [], state: 'closed' };
      throw err;
    }
  }

  private async channelStatus(handoff: FlexHandoffRef): Promise<FlexChannelStatus | undefined> {
    const channel = await ignoreNotFound(
      this.options.client.flexApi.v1.interaction(handoff.interactionSid).channels(handoff.channelSid).fetch(),
    );
    return channel?.status as FlexChannelStatus | undefined;
  }

  private get conversations() {
    const v1 = this.options.client.conversations.v1;
    // The service-scoped resources have the same shape as the default-service ones.
    return this.options.conversationsServiceSid
      ? (v1.services(this.options.conversationsServiceSid) as unknown as Pick<
          typeof v1,
          'conversations' | 'participantConversations'
        >)
      : v1;
  }

  private conversation(sid: string) {
    return this.conversations.conversations(sid);
  }

  private webhookUrlFor(workflowId: string): string {
    const url = new URL(this.options.conversationsWebhookUrl);
    url.searchParams.set('workflowId', workflowId);
    return url.toString();
  }

  private async findOpenConversation(identity: string, workflowId: string): Promise<string | undefined> {
    const list = await this.conversations.participantConversations.list({ identity, limit: 50 });
    const open = list.find(
      (pc) =>
        pc.conversationState !== 'closed' &&
        parseAttributes(pc.conversationAttributes).flexcordWorkflowId === workflowId,
    );
    return open?.conversationSid;
  }

  private async fetchOrCreateConversation(
    input: Parameters<FlexPort['ensureConversation']>[0],
  ): Promise<string> {
    // The unique name makes creation idempotent: a retry after a lost answer finds the conversation it made.
    const uniqueName = `flexcord-${input.workflowId}-case-${input.caseNumber}`;
    const existing = await ignoreNotFound(this.conversations.conversations(uniqueName).fetch());
    if (existing && existing.state !== 'closed') return existing.sid;
    const created = await this.conversations.conversations.create({
      friendlyName: `Discord: ${input.user.userName} (case #${input.caseNumber})`,
      uniqueName: existing ? undefined : uniqueName,
      attributes: JSON.stringify({
        flexcordWorkflowId: input.workflowId,
        caseNumber: input.caseNumber,
        discordUserId: input.user.userId,
        discordGuildId: input.user.guildId,
        discordChannelId: input.channel.channelId,
        discordChannelKind: input.channel.kind,
      }),
      'timers.inactive': this.options.timers.inactive,
      'timers.closed': this.options.timers.closed,
    });
    return created.sid;
  }

  private async ensureCustomerParticipant(conversationSid: string, identity: string, userName: string) {
    try {
      await this.conversation(conversationSid).participants.create({
        identity,
        attributes: JSON.stringify({ friendlyName: userName }),
      });
    } catch (err) {
      // 409: already a participant (a reused conversation, or a retry after a lost answer).
      if (!(err instanceof TwilioApiError && err.status === 409)) throw err;
    }
  }

  private async ensureWebhook(conversationSid: string, url: string) {
    const webhooks = this.conversation(conversationSid).webhooks;
    const existing = await webhooks.list({ limit: 20 });
    const ours = existing.find((w) => (w.configuration as { url?: string } | null)?.url === url);
    if (ours) {
      // A conversation reused across releases keeps the filters of the release that made it; later ones may need
      // more events (edits and removals came after the first release).
      const filters = (ours.configuration as { filters?: string[] }).filters ?? [];
      if (CONVERSATION_WEBHOOK_FILTERS.some((f) => !filters.includes(f)))
        await webhooks(ours.sid).update({ 'configuration.filters': CONVERSATION_WEBHOOK_FILTERS });
      return;
    }
    await webhooks.create({
      target: 'webhook',
      'configuration.url': url,
      'configuration.method': 'post',
      'configuration.filters': CONVERSATION_WEBHOOK_FILTERS,
    });
  }

  private async liveHandoff(attributes: FlexcordConversationAttributes): Promise<FlexHandoffRef | undefined> {
    const { flexcordInteractionSid: interactionSid, flexcordChannelSid: channelSid } = attributes;
    if (!interactionSid || !channelSid) return undefined;
    const channel = await ignoreNotFound(
      this.options.client.flexApi.v1.interaction(interactionSid).channels(channelSid).fetch(),
    );
    return channel && LIVE_CHANNEL_STATES.has(channel.status) ? { interactionSid, channelSid } : undefined;
  }

  /** Interaction creation is asynchronous: Flex may still fail the channel after answering 200. */
  private async waitForChannelSetup(handoff: FlexHandoffRef): Promise<void> {
    const { attempts, intervalMs } = this.options.interactionSetup ?? { attempts: 5, intervalMs: 400 };
    const channel = this.options.client.flexApi.v1
      .interaction(handoff.interactionSid)
      .channels(handoff.channelSid);
    for (let attempt = 0; attempt < attempts; attempt++) {
      const current = await channel.fetch();
      if (current.status === 'failed') {
        throw ApplicationFailure.create({
          type: 'FlexHandoffFailed',
          message: `Flex could not set up interaction channel ${handoff.channelSid}: ${current.errorMessage ?? 'no reason given'} (error ${current.errorCode ?? 'unknown'})`,
          nonRetryable: true,
          details: [{ errorCode: current.errorCode, errorMessage: current.errorMessage, ...handoff }],
        });
      }
      if (current.status !== 'setup') return;
      await new Promise((resolve) => setTimeout(resolve, intervalMs));
    }
    // Still in setup: routing continues in Flex; a later failure surfaces as task.canceled.
  }
}

function parseAttributes(raw: string | null | undefined): Record<string, unknown> {
  if (!raw) return {};
  try {
    const parsed: unknown = JSON.parse(raw);
    return parsed && typeof parsed === 'object' ? (parsed as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

/** Media in Conversations needs an upload to Twilio's media service; links keep Discord as the file host. */
function messageBody(text: string, attachments: Attachment[]): string {
  const links = attachments.map((a) => (a.name ? `${a.name}: ${a.url}` : a.url));
  const body = [text, ...links].filter((part) => part.trim() !== '').join('\n');
  return body || '(empty message)';
}

async function ignoreNotFound<T>(promise: Promise<T>): Promise<T | undefined> {
  try {
    return await promise;
  } catch (err) {
    if (err instanceof TwilioApiError && err.status === 404) return undefined;
    throw err;
  }
}
