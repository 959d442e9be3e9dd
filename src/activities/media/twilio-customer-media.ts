import { type Twilio } from 'twilio';
import type { Attachment, AttachmentRefusal } from '../../shared/support-types';
import { type CustomerMediaLimits, contentTypeOf, refusalFor } from './attachment-policy';
import { type DownloadPolicy, downloadAttachment } from './discord-download';
import { type McsUploader } from './mcs-upload';
import { type CustomerMediaPort, type RelayedAttachment } from './port';

export interface TwilioCustomerMediaOptions {
  client: Twilio;
  uploader: Pick<McsUploader, 'upload'>;
  limits: CustomerMediaLimits;
  download: Omit<DownloadPolicy, 'maxBytes'>;
  /** Unset: the conversation's own Chat Service (Flex's default one). */
  conversationsServiceSid?: string;
}

/** How many of the conversation's newest messages a retry looks through for the file it may have posted already. */
const RECENT_MESSAGES = 50;

/** CustomerMediaPort on Twilio: Discord download, MCS upload, one Conversations message per file. */
export class TwilioCustomerMedia implements CustomerMediaPort {
  constructor(private readonly options: TwilioCustomerMediaOptions) {}

  async relay(input: Parameters<CustomerMediaPort['relay']>[0]): Promise<RelayedAttachment> {
    const { attachment } = input;
    const refused = refusalFor(attachment, this.options.limits);
    if (refused) return this.refused(attachment, refused);

    const conversation = this.conversation(input.conversation.conversationSid);
    const serviceSid = this.options.conversationsServiceSid ?? (await conversation.fetch()).chatServiceSid;
    const earlier = await this.earlierRelay(conversation, input.dedupeKey);
    if (earlier) return withMedia(attachment, serviceSid, earlier);

    const download = await downloadAttachment(attachment.url, {
      ...this.options.download,
      maxBytes: this.options.limits.maxBytes,
    });
    if (!download.ok) return this.refused(attachment, download.why);
    const { mediaSid } = await this.options.uploader.upload({
      serviceSid,
      bytes: download.bytes,
      contentType: contentTypeOf(attachment),
      filename: attachment.name ?? 'file',
    });
    const message = await conversation.messages.create({
      author: input.conversation.customerIdentity,
      mediaSid,
      attributes: JSON.stringify({
        discordMessageId: input.discordMessageId,
        flexcordFileKey: input.dedupeKey,
      }),
    });
    return withMedia(attachment, serviceSid, { messageSid: message.sid, mediaSid });
  }

  private refused(attachment: Attachment, why: AttachmentRefusal): RelayedAttachment {
    const { maxBytes, extensions } = this.options.limits;
    return { attachment: { ...attachment, refused: why }, limits: { maxBytes, extensions: [...extensions] } };
  }

  private async earlierRelay(
    conversation: ReturnType<TwilioCustomerMedia['conversation']>,
    dedupeKey: string,
  ): Promise<{ messageSid: string; mediaSid: string } | undefined> {
    const recent = await conversation.messages.list({ order: 'desc', limit: RECENT_MESSAGES });
    const found = recent.find((m) => attributesOf(m.attributes).flexcordFileKey === dedupeKey);
    const mediaSid = (found?.media as { sid?: string }[] | null | undefined)?.[0]?.sid;
    return found && mediaSid ? { messageSid: found.sid, mediaSid } : undefined;
  }

  private conversation(sid: string) {
    const v1 = this.options.client.conversations.v1;
    const scoped = this.options.conversationsServiceSid
      ? (v1.services(this.options.conversationsServiceSid) as unknown as Pick<typeof v1, 'conversations'>)
      : v1;
    return scoped.conversations(sid);
  }
}

function withMedia(
  attachment: Attachment,
  serviceSid: string,
  relayed: { messageSid: string; mediaSid: string },
): RelayedAttachment {
  return {
    attachment: { ...attachment, twilioMedia: { serviceSid, mediaSid: relayed.mediaSid } },
    messageSid: relayed.messageSid,
  };
}

function attributesOf(raw: string | null | undefined): Record<string, unknown> {
  try {
    const parsed: unknown = JSON.parse(raw ?? '{}');
    return parsed && typeof parsed === 'object' ? (parsed as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}
