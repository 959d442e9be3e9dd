import cors from 'cors';
import express, { type NextFunction, type Request, type Response, type Router } from 'express';
import { type Payload, type PayloadCodec, ValueError } from '@temporalio/common';
import { type Logger } from 'pino';
import { z } from 'zod';
import { tokensMatch } from '../api/bearer-auth';

/*
 * Temporal's codec server protocol on the webhooks role: POST <endpoint>/decode and <endpoint>/encode, each taking
 * and answering `{"payloads": [...]}` in proto JSON (metadata values and data as base64). The Temporal Web UI calls
 * it from the operator's browser, so it answers CORS for the UI's origin. Decoding turns ciphertext into what users
 * wrote, and this server faces the internet (Twilio calls it): every call needs the codec token, as a bearer header
 * (the CLI's --codec-auth) or a path segment (`/codec/t/<token>`, for the Web UI, which cannot add headers).
 */

const base64 = z.string().regex(/^[A-Za-z0-9+/]*={0,2}$/, 'base64');
const jsonPayload = z.object({
  metadata: z.record(z.string(), base64).nullish(),
  data: base64.nullish(),
});
const body = z.object({ payloads: z.array(jsonPayload).max(10_000) });
type JsonPayload = z.infer<typeof jsonPayload>;

const fromJson = (p: JsonPayload): Payload => ({
  metadata: Object.fromEntries(
    Object.entries(p.metadata ?? {}).map(([k, v]) => [k, Buffer.from(v, 'base64')]),
  ),
  ...(p.data ? { data: Buffer.from(p.data, 'base64') } : {}),
});

const toJson = (p: Payload): JsonPayload => ({
  metadata: Object.fromEntries(
    Object.entries(p.metadata ?? {}).map(([k, v]) => [k, Buffer.from(v ?? []).toString('base64')]),
  ),
  ...(p.data ? { data: Buffer.from(p.data).toString('base64') } : {}),
});

export interface CodecRouterOptions {
  /** Unset: payload encryption is off and the endpoint answers 503. */
  codec?: PayloadCodec;
  /** Unset: nobody can authenticate, the endpoint answers 503. */
  token?: string;
  /** Browser origins allowed to call (the Temporal Web UI's). */
  corsOrigins: readonly string[];
  logger: Logger;
}

export function codecRouter(options: CodecRouterOptions): Router {
  const router = express.Router({ mergeParams: true });
  router.use(
    cors({
      origin: [...options.corsOrigins],
      methods: ['POST'],
      allowedHeaders: ['content-type', 'x-namespace', 'authorization'],
      maxAge: 600,
    }),
  );

  const authenticate = (req: Request, res: Response, next: NextFunction) => {
    if (!options.codec || !options.token) {
      res.status(503).json({
        error: 'codec_disabled',
        message: options.codec
          ? 'set CODEC_ENDPOINT_TOKEN to serve the codec endpoint'
          : 'payload encryption is off (PAYLOAD_ENCRYPTION_KEYS is not set): nothing to decode',
      });
      return;
    }
    const fromPath = (req.params as { token?: string }).token;
    const fromHeader = /^Bearer (.+)$/i.exec(req.get('authorization') ?? '')?.[1]?.trim();
    const given = fromPath ?? fromHeader;
    if (given === undefined || !tokensMatch(given, options.token)) {
      res
        .set('WWW-Authenticate', 'Bearer realm="flexcord codec"')
        .status(401)
        .json({ error: 'unauthorized' });
      return;
    }
    next();
  };

  // Up to Temporal's payload size limits; parsed only once the caller is known.
  const parse = express.json({ limit: '8mb' });

  const handle = (direction: 'encode' | 'decode') => async (req: Request, res: Response) => {
    const parsed = body.safeParse(req.body);
    if (!parsed.success) {
      res
        .status(400)
        .json({ error: 'invalid_request', message: 'expected {"payloads": [...]} in proto JSON' });
      return;
    }
    try {
      const payloads = await options.codec![direction](parsed.data.payloads.map(fromJson));
      res.json({ payloads: payloads.map(toJson) });
    } catch (err) {
      if (!(err instanceof ValueError || (err instanceof Error && /decrypt|auth/i.test(err.message))))
        throw err;
      // Says why without echoing any payload.
      options.logger.warn({ direction, reason: err.message }, 'codec endpoint refused a payload');
      res.status(400).json({ error: 'undecodable', message: err.message });
    }
  };

  for (const prefix of ['', '/t/:token']) {
    router.post(`${prefix}/decode`, authenticate, parse, handle('decode'));
    router.post(`${prefix}/encode`, authenticate, parse, handle('encode'));
  }
  return router;
}
