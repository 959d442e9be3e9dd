/*
 * How flexcord names people in Twilio. Pure functions, shared by the adapter and the webhooks.
 */

const CUSTOMER_PREFIX = 'discord:';

/** The Conversations identity of a Discord user: stable across guilds and name changes. */
export function customerIdentity(discordUserId: string): string {
  return `${CUSTOMER_PREFIX}${discordUserId}`;
}

/** True for identities flexcord created for Discord users; anything else in a conversation is Flex (an agent). */
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
