import { ApplicationFailure } from '@temporalio/common';
import type { SupportActivities } from '../../src/activities/support-activity-types';
import type { FlexTaskRef, FlexUpdates, FlexWaitEstimate } from '../../src/activities/twilio/port';
import type {
  CaseChanges,
  CaseEventInput,
  NewCase,
  StaffNote,
  TranscriptEntry,
} from '../../src/shared/case-types';
import type { ConversationRecord } from '../../src/shared/conversation-record';
import type { ArticleHit, OutboundDiscordMessage } from '../../src/shared/support-types';

/**
 * In-memory stand-ins for every activity the support workflow calls, recording each call. Writes are idempotent
 * the way the real adapters promise (dedupe keys, case idempotency keys, transcript entry ids), so tests can check
 * that the workflow sends each key once and that duplicates change nothing.
 */
export interface FakeCase {
  input: NewCase;
  transcript: TranscriptEntry[];
  changes: CaseChanges[];
  events: CaseEventInput[];
}

export interface FakeSupportOptions {
  search?: (query: string, limit: number) => ArticleHit[];
  /** Called before each Discord send; throw to simulate a failure. */
  beforeSend?: (message: OutboundDiscordMessage, attempt: number) => void;
  handToFlexFails?: boolean;
  /** What `estimateAgentWait` answers (default: nothing known); throw to simulate TaskRouter failing. */
  waitEstimate?: () => FlexWaitEstimate;
}

export class FakeSupportWorld {
  readonly sent: OutboundDiscordMessage[] = [];
  readonly sendAttempts: OutboundDiscordMessage[] = [];
  readonly channelsOpened: { preferThread: boolean }[] = [];
  readonly cases = new Map<number, FakeCase>();
  readonly flexMessages: {
    conversationSid: string;
    text: string;
    dedupeKey: string;
    attachments: unknown[];
  }[] = [];
  readonly handoffs: { caseNumber: number; taskAttributes: Record<string, unknown> }[] = [];
  readonly escalations: { interactionSid: string; priority: number }[] = [];
  /** Edits and deletions the workflow made on either side, in order. */
  readonly revisions: { what: string; ids: string[]; text?: string }[] = [];
  /** Customer files relayed to Flex, once per dedupe key; a file named `*.exe` is refused as Flex would. */
  readonly relayedFiles: { dedupeKey: string; discordMessageId: string; name?: string }[] = [];
  readonly flexClosed: { conversationSid: string; interactionSid?: string }[] = [];
  readonly searches: string[] = [];
  /**
   * What the Conversations API holds, for `fetchFlexUpdates` (reconciliation): tests add agent messages here
   * that no webhook delivered. Every call is recorded with its cursor.
   */
  readonly flexSide: Omit<FlexUpdates, 'lastMessageIndex'> = { messages: [], agents: [], state: 'active' };
  readonly flexUpdateCalls: {
    conversationSid: string;
    afterMessageIndex?: number;
    channelSid?: string;
  }[] = [];
  /** The interaction channel's status for reconciliation, when the workflow passes its handoff. */
  flexChannelStatus: FlexUpdates['channelStatus'] = 'active';
  /** The handoff's newest TaskRouter task for reconciliation; unset: none listed. */
  flexTask: FlexUpdates['task'];
  /** Older tasks of the handoff's channel, newest first, listed after `flexTask` (a transfer leaves some). */
  olderFlexTasks: FlexTaskRef[] = [];
  readonly flexTaskListCalls: { channelSid: string }[] = [];
  readonly waitEstimateCalls: { interactionSid: string }[] = [];
  /** Private staff notes the case store holds, newest last; `latestStaffNotes` answers from these. */
  readonly staffNotes: (StaffNote & { guildId: string; reporterId: string })[] = [];
  /** Every `recordConversation` call in order, and each conversation's record as the ledger keeps it. */
  readonly conversationRecordCalls: ConversationRecord[] = [];
  readonly conversations = new Map<string, ConversationRecord>();
  private nextCase = 1;

  constructor(private readonly options: FakeSupportOptions = {}) {}

  activities(): SupportActivities {
    return {
      openSupportChannel: async ({ user, preferThread }) => {
        this.channelsOpened.push({ preferThread });
        return preferThread
          ? { channelId: `thread-${user.userId}`, kind: 'thread' }
          : { channelId: `dm-${user.userId}`, kind: 'dm' };
      },
      sendToDiscord: async (message) => {
        this.sendAttempts.push(message);
        const attempt = this.sendAttempts.filter((m) => m.dedupeKey === message.dedupeKey).length;
        this.options.beforeSend?.(message, attempt);
        const already = this.sent.findIndex(
          (m) => m.dedupeKey === message.dedupeKey && m.channel.channelId === message.channel.channelId,
        );
        if (already < 0) this.sent.push(message);
        return { messageIds: [`msg-${this.sent.length}`] };
      },
      ensureFlexConversation: async ({ caseNumber }) => ({
        conversationSid: `CH${String(caseNumber).padStart(32, '0')}`,
        customerIdentity: 'discord:user',
      }),
      postCustomerMessage: async ({ conversation, text, attachments, dedupeKey }) => {
        if (!this.flexMessages.some((m) => m.dedupeKey === dedupeKey)) {
          this.flexMessages.push({
            conversationSid: conversation.conversationSid,
            text,
            attachments,
            dedupeKey,
          });
        }
        return { messageSid: `IM-${dedupeKey}` };
      },
      editFlexMessage: async ({ messageSid, text }) => {
        this.revisions.push({ what: 'edit flex', ids: [messageSid], text });
      },
      removeFlexMessages: async ({ messageSids }) => {
        this.revisions.push({ what: 'remove flex', ids: messageSids });
      },
      editDiscordMessage: async ({ message, messageIds }) => {
        this.revisions.push({ what: 'edit discord', ids: messageIds, text: message.text });
        return { messageIds };
      },
      deleteDiscordMessages: async ({ messageIds }) => {
        this.revisions.push({ what: 'delete discord', ids: messageIds });
      },
      relayCustomerAttachment: async ({ attachment, dedupeKey, discordMessageId }) => {
        if (attachment.name?.endsWith('.exe'))
          return { attachment: { ...attachment, refused: 'type_not_accepted' } };
        if (!this.relayedFiles.some((f) => f.dedupeKey === dedupeKey))
          this.relayedFiles.push({ dedupeKey, discordMessageId, name: attachment.name });
        const mediaSid = `ME${String(this.relayedFiles.findIndex((f) => f.dedupeKey === dedupeKey)).padStart(32, '0')}`;
        return {
          attachment: { ...attachment, twilioMedia: { serviceSid: `IS${'0'.repeat(32)}`, mediaSid } },
          messageSid: `IM-${dedupeKey}`,
        };
      },
      handToFlex: async ({ caseNumber, taskAttributes }) => {
        if (this.options.handToFlexFails) {
          throw ApplicationFailure.nonRetryable('Flex rejected the interaction', 'BadRequest');
        }
        this.handoffs.push({ caseNumber, taskAttributes });
        return { interactionSid: `KD${caseNumber}`, channelSid: `UO${caseNumber}` };
      },
      escalateFlexTask: async ({ handoff, priority }) => {
        this.escalations.push({ interactionSid: handoff.interactionSid, priority });
      },
      fetchFlexUpdates: async ({ conversation, afterMessageIndex, handoff }) => {
        this.flexUpdateCalls.push({
          conversationSid: conversation.conversationSid,
          afterMessageIndex,
          ...(handoff ? { channelSid: handoff.channelSid } : {}),
        });
        const messages = this.flexSide.messages.filter(
          (m) => afterMessageIndex === undefined || m.index > afterMessageIndex,
        );
        const indexes = messages.map((m) => m.index);
        return {
          messages,
          agents: [...this.flexSide.agents],
          state: this.flexSide.state,
          lastMessageIndex: indexes.length > 0 ? Math.max(...indexes) : undefined,
          ...(handoff && this.flexChannelStatus ? { channelStatus: this.flexChannelStatus } : {}),
          ...(handoff && this.flexTask ? { task: this.flexTask } : {}),
          ...(handoff ? { tasks: this.flexTasks() } : {}),
        };
      },
      listFlexTasks: async ({ handoff }) => {
        this.flexTaskListCalls.push({ channelSid: handoff.channelSid });
        return this.flexTasks();
      },
      estimateAgentWait: async ({ handoff }) => {
        this.waitEstimateCalls.push({ interactionSid: handoff.interactionSid });
        return this.options.waitEstimate?.() ?? {};
      },
      closeFlexConversation: async ({ conversation, handoff }) => {
        this.flexClosed.push({
          conversationSid: conversation.conversationSid,
          interactionSid: handoff?.interactionSid,
        });
      },
      openCase: async (input) => {
        for (const [caseNumber, existing] of this.cases) {
          if (existing.input.idempotencyKey === input.idempotencyKey) return { caseNumber };
        }
        const caseNumber = this.nextCase++;
        this.cases.set(caseNumber, {
          input,
          transcript: [...(input.transcript ?? [])],
          changes: [],
          events: [],
        });
        return { caseNumber };
      },
      appendTranscript: async ({ caseNumber, entries }) => {
        const c = this.mustCase(caseNumber);
        for (const e of entries) if (!c.transcript.some((t) => t.entryId === e.entryId)) c.transcript.push(e);
      },
      updateCase: async ({ caseNumber, changes, event }) => {
        const c = this.mustCase(caseNumber);
        if (c.events.some((e) => e.eventId === event.eventId)) return;
        c.changes.push(changes);
        c.events.push(event);
      },
      getCaseTranscript: async ({ caseNumber }) => [...this.mustCase(caseNumber).transcript],
      latestStaffNotes: async ({ guildId, reporterId, limit }) =>
        this.staffNotes
          .filter((n) => n.guildId === guildId && n.reporterId === reporterId)
          .reverse()
          .slice(0, limit)
          .map(({ guildId: _g, reporterId: _r, ...note }) => note),
      searchKnowledgeBase: async ({ query, limit }) => {
        this.searches.push(query);
        return (this.options.search?.(query, limit) ?? []).slice(0, limit);
      },
      recordConversation: async (record) => {
        this.conversationRecordCalls.push(record);
        // As the SQL ledger does: the row's identity from the first write, then each milestone's first value.
        const kept = this.conversations.get(record.conversationId) ?? record;
        const merged = { ...kept };
        for (const [key, value] of Object.entries(record) as [keyof ConversationRecord, unknown][])
          if (merged[key] === undefined) Object.assign(merged, { [key]: value });
        this.conversations.set(record.conversationId, merged);
      },
    };
  }

  /** The handoff channel's tasks, newest first, as TaskRouter would list them. */
  flexTasks(): FlexTaskRef[] {
    return [...(this.flexTask ? [this.flexTask] : []), ...this.olderFlexTasks];
  }

  /** The case's current fields, folding every recorded change in order. */
  caseView(caseNumber: number): CaseChanges {
    return Object.assign({}, ...this.mustCase(caseNumber).changes) as CaseChanges;
  }

  sentOfKind(kind: OutboundDiscordMessage['kind']): OutboundDiscordMessage[] {
    return this.sent.filter((m) => m.kind === kind);
  }

  mustCase(caseNumber: number): FakeCase {
    const c = this.cases.get(caseNumber);
    if (!c) throw ApplicationFailure.nonRetryable(`no case #${caseNumber}`, 'BadRequest');
    return c;
  }
}

export const REFUND_ARTICLE: ArticleHit = {
  id: 'purchases/refunds.md',
  title: 'Asking for a refund',
  excerpt: 'Purchases made in the last 14 days can be refunded through the store you bought from.',
  url: 'https://help.example.com/refunds',
  score: 12.5,
};

/** A search that knows one article, about refunds. */
export function refundSearch(query: string): ArticleHit[] {
  return /refund|money back/i.test(query) ? [REFUND_ARTICLE] : [];
}
