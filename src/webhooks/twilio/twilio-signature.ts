import { type RequestHandler } from 'express';
import { validateRequest } from 'twilio/lib/webhooks/webhooks';

/**
 * Rejects requests that Twilio did not sign: no X-Twilio-Signature is 400, a wrong one is 403.
 * The URL Twilio signed is the public one (a tunnel or load balancer sits in front of us), so it is rebuilt from
 * the configured public base URL plus the path and query we received, never from the Host header.
 * twilio's own validator does the comparison, including the with/without-port variants Twilio may have used.
 */
export function requireTwilioSignature(options: {
  authToken: string;
  publicBaseUrl: string;
}): RequestHandler {
  // Kept exactly as configured (port, path prefix, even credentials): that is the URL entered in Twilio.
  const base = options.publicBaseUrl.replace(/\/+$/, '');
  if (!URL.canParse(base))
    throw new Error('the public base URL must be an absolute URL, e.g. https://support.example.com');
  return (req, res, next) => {
    const signature = req.header('x-twilio-signature');
    if (!signature) {
      res.status(400).json({ error: 'missing_signature' });
      return;
    }
    const url = `${base}${req.originalUrl}`;
    const params = (req.body ?? {}) as Record<string, unknown>;
    if (!isValid(options.authToken, signature, url, params)) {
      res.status(403).json({ error: 'invalid_signature' });
      return;
    }
    next();
  };
}

/** A request path that makes an unparsable URL cannot carry a valid signature: reject it rather than crash. */
function isValid(
  authToken: string,
  signature: string,
  url: string,
  params: Record<string, unknown>,
): boolean {
  try {
    return validateRequest(authToken, signature, url, params);
  } catch {
    return false;
  }
}
