import { type Request, type Response, Router } from 'express';
import { type Logger } from 'pino';
import { z } from 'zod';
import { type MediaLinks } from '../../media/media-links';
import { type MediaContentSource } from './twilio-media-content';

const paramsSchema = z.object({
  serviceSid: z.string().regex(/^IS[0-9a-fA-F]{32}$/),
  mediaSid: z.string().regex(/^ME[0-9a-fA-F]{32}$/),
});
const querySchema = z.object({
  exp: z
    .string()
    .regex(/^\d{1,12}$/)
    .transform(Number),
  sig: z.string().regex(/^[A-Za-z0-9_-]{43}$/),
});

export interface MediaRouterOptions {
  links: MediaLinks;
  content: MediaContentSource;
  logger: Logger;
}

/**
 * `GET /twilio/:serviceSid/:mediaSid?exp=&sig=` (mounted under /media): checks the link's signature and expiry,
 * asks Twilio for the media's short-lived direct URL and redirects there. 403 for a forged, altered or expired
 * link, 404 when Twilio has no such media, 502 when Twilio cannot be asked.
 */
export function createMediaRouter(options: MediaRouterOptions): Router {
  const router = Router();
  const log = options.logger.child({ component: 'media-links' });

  router.get('/twilio/:serviceSid/:mediaSid', async (req: Request, res: Response) => {
    const params = paramsSchema.safeParse(req.params);
    const query = querySchema.safeParse(req.query);
    if (!params.success || !query.success) {
      res.status(403).json({ error: 'invalid_link' });
      return;
    }
    const verdict = options.links.check(params.data, query.data.exp, query.data.sig);
    if (verdict !== 'ok') {
      res.status(403).json({ error: verdict === 'expired' ? 'link_expired' : 'invalid_link' });
      return;
    }
    let url: string | undefined;
    try {
      url = await options.content.directUrl(params.data);
    } catch (err) {
      log.error({ err, mediaSid: params.data.mediaSid }, 'could not look up Twilio media');
      res.status(502).json({ error: 'twilio_unavailable' });
      return;
    }
    if (!url) {
      res.status(404).json({ error: 'media_not_found' });
      return;
    }
    // The direct URL expires within minutes: never let a browser or proxy keep the redirect.
    res.set('Cache-Control', 'no-store');
    res.redirect(302, url);
  });

  return router;
}
