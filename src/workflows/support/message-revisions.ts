import { log, patched, proxyActivities } from '@temporalio/workflow';
import type { SupportActivities } from '../../activities/support-activity-types';
import type { TranscriptEntry } from '../../shared/case-types';
import type {
  AgentMessageEditedEvent,
  AgentMessageRemovedEvent,
  UserMessageDeletedEvent,
  UserMessageEditedEvent,
} from '../../shared/message-changes';
import { NON_RETRYABLE_SUPPORT_FAILURES } from '../../shared/support-failures';
import {
  emptyMessageMap,
  forget,
  lookup,
  type MessageMap,
  type RelayedToFlex,
  remember,
} from './message-map';
import { MAX_BOT_TRANSCRIPT, type ConversationModel } from './state';
import { appendBounded } from './transcript';

/** Runs recorded before edits and deletions followed messages kept no map of what became what. */
const MESSAGE_REVISIONS = 'message-revisions';

/** Like every relay: an outage delays an edit, it does not lose it. */
const relay = proxyActivities<
  Pick<
    SupportActivities,
    'editFlexMessage' | 'removeFlexMessages' | 'editDiscordMessage' | 'deleteDiscordMessages'
  >
>({
  startToCloseTimeout: '30 seconds',
  scheduleToCloseTimeout: '6 hours',
  retry: {
    initialInterval: '1 second',
    backoffCoefficient: 2,
    maximumInterval: '1 minute',
    nonRetryableErrorTypes: NON_RETRYABLE_SUPPORT_FAILURES,
  },
});

/** What the revisions need from the conversation: its state and the case transcript. */
export interface RevisionContext {
  model: ConversationModel;
  appendTranscript(entries: TranscriptEntry[]): Promise<void>;
}

/**
 * Edits and deletions, both ways. A user's edit or deletion in Discord changes the Conversations messages their
 * message became (the text message is edited; every part is removed on deletion); an agent's in Flex changes the
 * Discord messages theirs became. Either way the transcript gets a line saying so, and the first version stays.
 * Events are deduplicated by id before they get here, and every call is idempotent (an edit sets, a delete of
 * something gone is fine), so a repeat changes nothing.
 */
export class MessageRevisions {
  constructor(private readonly ctx: RevisionContext) {}

  private get s() {
    return this.ctx.model.state;
  }

  /** A user's Discord message was posted to Flex as these messages. */
  rememberToFlex(discordMessageId: string, relayed: RelayedToFlex): void {
    if (!relayed.text && relayed.files.length === 0) return;
    if (!patched(MESSAGE_REVISIONS)) return;
    this.updateMap((map) => ({ ...map, toFlex: remember(map.toFlex, discordMessageId, relayed) }));
  }

  /** An agent's Conversations message was posted to Discord as these messages. */
  rememberToDiscord(messageSid: string, messageIds: string[]): void {
    if (messageIds.length === 0) return;
    if (!patched(MESSAGE_REVISIONS)) return;
    this.updateMap((map) => ({ ...map, toDiscord: remember(map.toDiscord, messageSid, messageIds) }));
  }

  async onUserEdit(event: UserMessageEditedEvent): Promise<void> {
    if (!this.ownMessage(event)) return;
    const relayed = this.s.messageMap && lookup(this.s.messageMap.toFlex, event.messageId);
    const conversation = this.s.flexConversation;
    if (relayed?.text && conversation) {
      try {
        await relay.editFlexMessage({ conversation, messageSid: relayed.text, text: event.text });
      } catch (err) {
        log.warn('could not edit the message in Flex', { eventId: event.eventId, error: String(err) });
      }
    }
    await this.mark({
      entryId: event.eventId,
      direction: 'inbound',
      authorKind: 'user',
      author: this.ctx.model.user.userName,
      text: event.text,
      attachments: [],
      at: event.editedAt,
      revises: { entryId: event.messageId, kind: 'edited' },
    });
  }

  async onUserDelete(event: UserMessageDeletedEvent): Promise<void> {
    if (!this.ownMessage(event)) return;
    const relayed = this.s.messageMap && lookup(this.s.messageMap.toFlex, event.messageId);
    const conversation = this.s.flexConversation;
    if (relayed && conversation) {
      try {
        await relay.removeFlexMessages({
          conversation,
          messageSids: [...(relayed.text ? [relayed.text] : []), ...relayed.files],
        });
        this.updateMap((map) => ({ ...map, toFlex: forget(map.toFlex, event.messageId) }));
      } catch (err) {
        log.warn('could not remove the message in Flex', { eventId: event.eventId, error: String(err) });
      }
    }
    await this.mark({
      entryId: event.eventId,
      direction: 'inbound',
      authorKind: 'user',
      author: this.ctx.model.user.userName,
      text: '',
      attachments: [],
      at: new Date().toISOString(),
      revises: { entryId: event.messageId, kind: 'deleted' },
    });
  }

  async onAgentEdit(event: AgentMessageEditedEvent): Promise<void> {
    if (this.foreign(event)) return;
    const posted = this.s.messageMap && lookup(this.s.messageMap.toDiscord, event.messageSid);
    const channel = this.s.channel;
    if (posted && channel) {
      try {
        const { messageIds } = await relay.editDiscordMessage({
          message: {
            channel,
            kind: 'agent_message',
            dedupeKey: event.eventId,
            text: event.text,
            agentName: event.agentName,
            attachments: event.attachments,
          },
          messageIds: posted,
        });
        this.updateMap((map) => ({
          ...map,
          toDiscord: remember(map.toDiscord, event.messageSid, messageIds),
        }));
      } catch (err) {
        log.warn('could not edit the agent message in Discord', {
          eventId: event.eventId,
          error: String(err),
        });
      }
    }
    await this.mark({
      entryId: event.eventId,
      direction: 'outbound',
      authorKind: 'agent',
      author: event.agentName,
      text: event.text,
      attachments: event.attachments,
      at: event.editedAt,
      revises: { entryId: event.messageSid, kind: 'edited' },
    });
  }

  async onAgentRemove(event: AgentMessageRemovedEvent): Promise<void> {
    if (this.foreign(event)) return;
    const posted = this.s.messageMap && lookup(this.s.messageMap.toDiscord, event.messageSid);
    const channel = this.s.channel;
    if (posted && channel) {
      try {
        await relay.deleteDiscordMessages({ channel, messageIds: posted });
        this.updateMap((map) => ({ ...map, toDiscord: forget(map.toDiscord, event.messageSid) }));
      } catch (err) {
        log.warn('could not delete the agent message in Discord', {
          eventId: event.eventId,
          error: String(err),
        });
      }
    }
    await this.mark({
      entryId: event.eventId,
      direction: 'outbound',
      authorKind: 'agent',
      author: this.s.agent?.identity === event.agentIdentity ? this.s.agent.name : event.agentIdentity,
      text: '',
      attachments: [],
      at: new Date().toISOString(),
      revises: { entryId: event.messageSid, kind: 'deleted' },
    });
  }

  /** A change to a message this conversation never had from the user (the bot's, a staff member's) is ignored. */
  private ownMessage(event: UserMessageEditedEvent | UserMessageDeletedEvent): boolean {
    if (this.ctx.model.sawUserMessage(event.messageId)) return true;
    log.info('change to a message that is not the user’s ignored', { eventId: event.eventId });
    return false;
  }

  /** Changes the map of the conversation as it is now (a close may have started a fresh one meanwhile). */
  private updateMap(change: (map: MessageMap) => MessageMap): void {
    this.s.messageMap = change(this.s.messageMap ?? emptyMessageMap());
  }

  /** An edit from another (earlier) Flex conversation than the current one changes nothing here. */
  private foreign(event: AgentMessageEditedEvent | AgentMessageRemovedEvent): boolean {
    const current = this.s.flexConversation?.conversationSid;
    const foreign = event.conversationSid !== undefined && event.conversationSid !== current;
    if (foreign) log.info('Flex edit for another conversation ignored', { eventId: event.eventId });
    return foreign;
  }

  /** The transcript line that records the change: in the case once there is one, else with the bot's lines. */
  private async mark(entry: TranscriptEntry): Promise<void> {
    if (this.s.caseNumber === undefined) {
      this.s.botTranscript = appendBounded(this.s.botTranscript, entry, MAX_BOT_TRANSCRIPT);
      return;
    }
    await this.ctx.appendTranscript([entry]);
  }
}
