import { ApplicationFailure } from '@temporalio/common';

/** Where customers' files may be downloaded from, and how much of one. */
export interface DownloadPolicy {
  /** Host names (Discord's CDN); https only. */
  hosts: readonly string[];
  /** Origins allowed as they are, http included (the local Discord fake, the sandbox). */
  origins: readonly string[];
  maxBytes: number;
  timeoutMs?: number;
}

export type Download =
  { ok: true; bytes: Buffer; contentType?: string } | { ok: false; why: 'too_large' | 'unavailable' };

/**
 * Downloads a customer's attachment from Discord's CDN, and only from there: the URL came from a gateway event, and
 * a worker that fetched any URL it was handed could be pointed at internal services. The body is read up to
 * `maxBytes` and no further; redirects are not followed. A link that is gone (Discord's expire after about a day)
 * answers `unavailable`; a server error or a network failure throws a retryable failure.
 */
export async function downloadAttachment(url: string, policy: DownloadPolicy): Promise<Download> {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return { ok: false, why: 'unavailable' };
  }
  const allowed =
    (parsed.protocol === 'https:' && policy.hosts.includes(parsed.hostname.toLowerCase())) ||
    policy.origins.includes(parsed.origin);
  if (!allowed) {
    throw ApplicationFailure.nonRetryable(
      `refused to download an attachment from ${parsed.origin}: not a Discord attachment host (DISCORD_ATTACHMENT_HOSTS)`,
      'AttachmentHostRefused',
    );
  }
  const response = await fetch(parsed, {
    redirect: 'manual',
    signal: AbortSignal.timeout(policy.timeoutMs ?? 60_000),
  });
  if (response.status === 404 || response.status === 403 || response.status === 410) {
    await response.body?.cancel();
    return { ok: false, why: 'unavailable' };
  }
  if (!response.ok) {
    await response.body?.cancel();
    throw ApplicationFailure.retryable(
      `downloading an attachment from ${parsed.origin} answered ${response.status}`,
      'AttachmentDownloadFailed',
    );
  }
  const declared = Number(response.headers.get('content-length') ?? NaN);
  if (declared > policy.maxBytes) {
    await response.body?.cancel();
    return { ok: false, why: 'too_large' };
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of response.body ?? []) {
    size += (chunk as Uint8Array).byteLength;
    if (size > policy.maxBytes) {
      await response.body?.cancel().catch(() => undefined);
      return { ok: false, why: 'too_large' };
    }
    chunks.push(Buffer.from(chunk as Uint8Array));
  }
  return {
    ok: true,
    bytes: Buffer.concat(chunks),
    ...(response.headers.get('content-type') ? { contentType: response.headers.get('content-type')! } : {}),
  };
}
