import type { FlexConversationRef } from '../twilio/port';
import type { Attachment } from '../../shared/support-types';

/** A customer's file after its relay: the attachment with its durable Twilio reference, or why it was refused. */
export interface RelayedAttachment {
  attachment: Attachment;
  /** The Conversations message that carries the file, when it was relayed. */
  messageSid?: string;
  /** With a refusal: the limits it broke, so the user can be told what would be accepted. */
  limits?: { maxBytes: number; extensions: string[] };
}

/**
 * Customers' Discord files to the Flex conversation as real media: downloaded from Discord's CDN, uploaded to
 * Twilio's Media Content Service, posted as a message of their own (Flex takes one file per message, and no text
 * with it). Bytes never leave the activity that moves them, so they never enter workflow history.
 */
export interface CustomerMediaPort {
  relay(input: {
    conversation: FlexConversationRef;
    attachment: Attachment;
    /** The Discord message the file came with. */
    discordMessageId: string;
    /** Stable per file: a retried relay finds the message it already posted by this key. */
    dedupeKey: string;
  }): Promise<RelayedAttachment>;
}
