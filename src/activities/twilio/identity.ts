import { createHmac } from 'node:crypto';

/*
 * How flexcord names people in Twilio, shared by the adapter and the webhooks.
 */

const CUSTOMER_PREFIX = 'discord:';

/** Turns a Discord user id into the customer's Conversations identity. */
export type CustomerIdentity = (discordUserId: string) => string;

/**
 * Opaque customer identities, as Twilio's best practices ask: `discord:h-` and 128 bits of an HMAC-SHA256 of the
 * Discord user id, under a key derived from the operator's secret (TWILIO_IDENTITY_SECRET). Stable across servers
 * and name changes, so an agent sees a returning customer as one; without the secret nobody can tell who it is or
 * turn a Discord id into it. The name people read stays in the participant's attributes (`friendlyName`).
 */
export function opaqueCustomerIdentity(secret: string): CustomerIdentity {
  if (!secret) throw new Error('a customer identity secret is required');
  // Domain separation: the same secret may also sign something else (the Twilio auth token, as a fallback).
  const key = createHmac('sha256', secret).update('flexcord customer identity v1').digest();
  return (discordUserId) =>
    `${CUSTOMER_PREFIX}h-${createHmac('sha256', key).update(discordUserId).digest('hex').slice(0, 32)}`;
}

/**
 * The identity of conversations opened before identities were opaque: the Discord user id itself. Only an
 * activity scheduled by that older workflow code still asks for it, so a retry continues as it began.
 */
export function legacyCustomerIdentity(discordUserId: string): string {
  return `${CUSTOMER_PREFIX}${discordUserId}`;
}

/**
 * True for identities flexcord created for Discord users (opaque or, in older conversations, the user id);
 * anything else in a conversation is Flex (an agent).
 */
export function isCustomerIdentity(identity: string | undefined): boolean {
  return identity?.startsWith(CUSTOMER_PREFIX) ?? false;
}

/**
 * Flex derives agent identities from their login by escaping characters as `_XX` hex (alice@example.com becomes
 * alice_40example_2Ecom). Undoing it gives a readable name when nothing better is known; customers see this name,
 * so an email login is cut to the part before `@` (an agent's work address is not the customer's business).
 */
export function readableAgentName(identity: string): string {
  const withoutScheme = identity.replace(/^client:/, '');
  const login = withoutScheme.replace(/_([0-9A-F]{2})/g, (_, hex: string) =>
    String.fromCharCode(parseInt(hex, 16)),
  );
  const at = login.indexOf('@');
  return at > 0 ? login.slice(0, at) : login;
}

/** The name Flex or flexcord wrote into a participant's attributes, if any (Flex uses `friendlyName`). */
export function participantDisplayName(attributes: string | null | undefined): string | undefined {
  let parsed: unknown;
  try {
    parsed = attributes ? JSON.parse(attributes) : undefined;
  } catch {
    return undefined;
  }
  if (!parsed || typeof parsed !== 'object') return undefined;
  for (const key of ['friendlyName', 'friendly_name', 'full_name', 'name']) {
    const value = (parsed as Record<string, unknown>)[key];
    if (typeof value === 'string' && value.trim()) return value.trim();
  }
  return undefined;
}
