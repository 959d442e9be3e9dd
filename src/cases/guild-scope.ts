/*
 * Which Discord servers (guilds) a caller may see and act in. One flexcord can serve several servers: a staff
 * member of one, or an API token issued to one, must never read or change another's cases, nor make flexcord
 * message another server's members.
 */

export type GuildScope =
  /** Every server: an operator on the host (CLI) or an API token issued for all of them. */
  | { kind: 'all' }
  /** Only these servers. */
  | { kind: 'guilds'; guildIds: readonly string[] };

export const ALL_GUILDS: GuildScope = { kind: 'all' };

export function onlyGuilds(...guildIds: string[]): GuildScope {
  return { kind: 'guilds', guildIds };
}

export function inScope(scope: GuildScope, guildId: string): boolean {
  return scope.kind === 'all' || scope.guildIds.includes(guildId);
}

/** For messages: "server 123", "servers 1, 2" or "every server". */
export function describeScope(scope: GuildScope): string {
  if (scope.kind === 'all') return 'every server';
  return `${scope.guildIds.length === 1 ? 'server' : 'servers'} ${scope.guildIds.join(', ')}`;
}
