import { log, patched, proxyActivities } from '@temporalio/workflow';
import type { SupportActivities } from '../../activities/support-activity-types';
import type { FlexConversationRef } from '../../activities/twilio/port';
import { NON_RETRYABLE_SUPPORT_FAILURES } from '../../shared/support-failures';
import type { Attachment, UserMessageEvent } from '../../shared/support-types';

/** Runs recorded before customers' files went to Flex as media sent them as links in the message text. */
const CUSTOMER_MEDIA = 'customer-media-to-flex';

/**
 * Moving a file takes longer than a message (a download and an upload of up to Flex's size limit); like every relay
 * it keeps trying for hours, so an outage delays files instead of losing them.
 */
const files = proxyActivities<Pick<SupportActivities, 'relayCustomerAttachment' | 'postCustomerMessage'>>({
  startToCloseTimeout: '3 minutes',
  scheduleToCloseTimeout: '6 hours',
  retry: {
    initialInterval: '1 second',
    backoffCoefficient: 2,
    maximumInterval: '1 minute',
    nonRetryableErrorTypes: NON_RETRYABLE_SUPPORT_FAILURES,
  },
});

/** Whether this message's files go to Flex as media: asked only for a message with files, so old runs replay. */
export function filesGoAsMedia(event: UserMessageEvent): boolean {
  return event.attachments.length > 0 && patched(CUSTOMER_MEDIA);
}

/** What became of a message's files: each with its durable Twilio reference, or refused (and why). */
export interface FilesRelayed {
  attachments: Attachment[];
  /** The Conversations messages posted for this Discord message: its text, and one per file. */
  textSid?: string;
  fileSids: string[];
  /** Files the agent will not get, with the limits they broke when that was the reason. */
  refused: { attachment: Attachment; limits?: { maxBytes: number; extensions: string[] } }[];
}

/**
 * A user's message with files, as Flex takes it: the text as one message, then each file as a message of its own
 * (Flex accepts one file per message and no text with it). A file that fails to relay after all retries is kept as
 * a Discord link in the transcript and left out, the rest goes on.
 */
export async function relayMessageWithFiles(
  conversation: FlexConversationRef,
  event: UserMessageEvent,
): Promise<FilesRelayed> {
  let textSid: string | undefined;
  const fileSids: string[] = [];
  if (event.text.trim()) {
    try {
      const { messageSid } = await files.postCustomerMessage({
        conversation,
        text: event.text,
        attachments: [],
        dedupeKey: event.eventId,
      });
      textSid = messageSid;
    } catch (err) {
      log.warn('could not relay a user message to Flex', { eventId: event.eventId, error: String(err) });
    }
  }
  const attachments: Attachment[] = [];
  const refused: FilesRelayed['refused'] = [];
  for (const [i, attachment] of event.attachments.entries()) {
    try {
      const relayed = await files.relayCustomerAttachment({
        conversation,
        attachment,
        discordMessageId: event.eventId,
        dedupeKey: `${event.eventId}:file:${attachment.id ?? i}`,
      });
      attachments.push(relayed.attachment);
      if (relayed.messageSid) fileSids.push(relayed.messageSid);
      if (relayed.attachment.refused)
        refused.push({ attachment: relayed.attachment, limits: relayed.limits });
    } catch (err) {
      log.warn('could not relay a file to Flex', { eventId: event.eventId, error: String(err) });
      attachments.push(attachment);
    }
  }
  return { attachments, ...(textSid ? { textSid } : {}), fileSids, refused };
}
