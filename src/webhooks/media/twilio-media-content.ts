import { type Twilio } from 'twilio';
import { z } from 'zod';
import { TwilioApiError } from '../../activities/twilio/twilio-api-error';
import { type MediaRef } from '../../media/media-links';

/** Finds where a media file can be downloaded right now; undefined when Twilio does not know it. */
export interface MediaContentSource {
  directUrl(media: MediaRef): Promise<string | undefined>;
}

/** The Media Content Service host (Twilio's docs: "https://mcs.us1.twilio.com/v1"); not in twilio-node. */
export const MCS_BASE_URL = 'https://mcs.us1.twilio.com/v1';

/**
 * The fields flexcord reads from an MCS Media resource. `links.content_direct_temporary` is a pre-signed URL that
 * needs no credentials and expires after a few minutes, which is why flexcord fetches it per click.
 */
const mediaResource = z.looseObject({
  sid: z.string(),
  links: z.looseObject({ content_direct_temporary: z.url() }),
});

/**
 * Reads Media resources from Twilio's Media Content Service with the account's credentials, through the twilio
 * client (so TWILIO_API_BASE_URL routes it to a local fake like every other Twilio call). The helper libraries have
 * no MCS resource, so this uses the client's raw `request`.
 */
export class TwilioMediaContent implements MediaContentSource {
  constructor(private readonly client: Pick<Twilio, 'request'>) {}

  async directUrl(media: MediaRef): Promise<string | undefined> {
    const uri = `${MCS_BASE_URL}/Services/${encodeURIComponent(media.serviceSid)}/Media/${encodeURIComponent(media.mediaSid)}`;
    let body: unknown;
    try {
      const response = (await this.client.request({ method: 'get', uri })) as { body: unknown };
      body = typeof response.body === 'string' ? JSON.parse(response.body) : response.body;
    } catch (err) {
      if (err instanceof TwilioApiError && err.status === 404) return undefined;
      throw err;
    }
    const parsed = mediaResource.safeParse(body);
    if (!parsed.success) throw new Error('the Media Content Service answered without a direct content link');
    return parsed.data.links.content_direct_temporary;
  }
}
