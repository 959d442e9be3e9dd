import type { Attachment, AttachmentRefusal } from '../../shared/support-types';

/** What Flex accepts from a chat customer: one file per message, at most `maxBytes`, only these extensions. */
export interface CustomerMediaLimits {
  maxBytes: number;
  /** Lower case, without the dot: `pdf`, `jpg`. */
  extensions: readonly string[];
}

/** The file's extension, lower case, from its name (`Report.PDF` → `pdf`); empty without one. */
export function extensionOf(name: string | undefined): string {
  const match = /\.([A-Za-z0-9]{1,10})$/.exec(name ?? '');
  return match ? match[1]!.toLowerCase() : '';
}

/**
 * Why Flex would not take this file, judged before anything is downloaded: an extension it does not accept, or a
 * size (as Discord reports it) over the limit. Undefined: try it (the download enforces the size again).
 */
export function refusalFor(
  attachment: Attachment,
  limits: CustomerMediaLimits,
): AttachmentRefusal | undefined {
  if (!limits.extensions.includes(extensionOf(attachment.name))) return 'type_not_accepted';
  if (attachment.size !== undefined && attachment.size > limits.maxBytes) return 'too_large';
  return undefined;
}

/** The MIME type to upload with: Discord's when it sent one, else one implied by the extension. */
export function contentTypeOf(attachment: Attachment): string {
  if (attachment.contentType) return attachment.contentType.split(';')[0]!.trim();
  return BY_EXTENSION[extensionOf(attachment.name)] ?? 'application/octet-stream';
}

const BY_EXTENSION: Record<string, string> = {
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  png: 'image/png',
  gif: 'image/gif',
  heic: 'image/heic',
  pdf: 'application/pdf',
  txt: 'text/plain',
  mp3: 'audio/mpeg',
  amr: 'audio/amr',
  mp4: 'video/mp4',
};
