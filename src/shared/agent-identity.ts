/*
 * One agent, one key, whichever of Flex's names for them an event carries. Pure: bundled into workflow code.
 */

/**
 * Flex escapes an agent's login into their Conversations identity (`alice@example.com` becomes
 * `alice_40example_2Ecom`, upper-case hex); TaskRouter knows the same person by `contact_uri`
 * (`client:alice_40example_2Ecom`) or, when the worker has none, by worker name, often the login itself. Undoing the
 * scheme and the escapes, and ignoring case, gives the same key for all three.
 */
export function agentKey(identity: string): string {
  return identity
    .trim()
    .replace(/^client:/, '')
    .replace(/_([0-9A-F]{2})/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)))
    .toLowerCase();
}

export function sameAgent(a: string | undefined, b: string | undefined): boolean {
  return a !== undefined && b !== undefined && agentKey(a) === agentKey(b);
}
