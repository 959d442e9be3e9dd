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
