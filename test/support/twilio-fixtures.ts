import fs from 'node:fs';
import path from 'node:path';
import { PROTOCOL_EXAMPLES_DIR } from '../../src/sandbox/vendor-files';

/* Vendor material in vendor/protocol-examples: Twilio's signature vectors and documented webhook bodies. */

const EXAMPLES = PROTOCOL_EXAMPLES_DIR;

export interface SignatureVector {
  id: string;
  kind: 'form' | 'json-body' | 'body-hash-only';
  auth_token: string;
  url: string;
  params: Record<string, string | string[]>;
  x_twilio_signature: string | null;
  expected_valid: boolean;
  historical?: boolean;
}

export function signatureVectors(): SignatureVector[] {
  const file = JSON.parse(fs.readFileSync(path.join(EXAMPLES, 'twilio-signature-vectors.json'), 'utf8')) as {
    vectors: SignatureVector[];
  };
  return file.vectors;
}

export interface WebhookExample {
  name: string;
  form_params: Record<string, string>;
  urlencoded_body: string;
  signed_delivery_example?: { auth_token: string; url: string; x_twilio_signature: string };
}

interface WebhooksFile {
  conversations_post_event_webhooks: { events: Record<string, { examples: WebhookExample[] }> };
  taskrouter_event_callbacks: { events: Record<string, { example: WebhookExample }> };
}

function webhooksFile(): WebhooksFile {
  return JSON.parse(
    fs.readFileSync(path.join(EXAMPLES, 'twilio-conversations-webhooks.json'), 'utf8'),
  ) as WebhooksFile;
}

export function conversationExample(eventType: string, index = 0): WebhookExample {
  const example = webhooksFile().conversations_post_event_webhooks.events[eventType]?.examples[index];
  if (!example) throw new Error(`no ${eventType} example #${index}`);
  return example;
}

export function taskrouterExample(eventType: string): WebhookExample {
  const example = webhooksFile().taskrouter_event_callbacks.events[eventType]?.example;
  if (!example) throw new Error(`no ${eventType} example`);
  return example;
}

export function allSignedExamples(): WebhookExample[] {
  const file = webhooksFile();
  return [
    ...Object.values(file.conversations_post_event_webhooks.events).flatMap((e) => e.examples),
    ...Object.values(file.taskrouter_event_callbacks.events).map((e) => e.example),
  ].filter((e) => e.signed_delivery_example);
}
