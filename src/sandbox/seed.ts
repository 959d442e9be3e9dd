import { REST } from '@discordjs/rest';
import { registerSlashCommands } from '../bot/register-commands';
import { setupChannels } from '../bot/setup-channels';
import { type FakeDiscord } from './discord';

/** A Flex agent of the sandbox's contact center. */
export interface FlexAgent {
  /** Flex's worker identity: the login email, encoded the way Flex encodes it. */
  identity: string;
  name: string;
}

/** Who lives in the sandbox: the demo server, its member and staff member, and the two Flex agents. */
export interface SandboxCast {
  guildId: string;
  guildName: string;
  memberId: string;
  staffId: string;
  staffRoleId: string;
  agents: FlexAgent[];
}

export interface FeedItem {
  id: string;
  title: string;
  link: string;
  description: string;
  publishedAt: string;
}

export const SANDBOX_AGENTS: FlexAgent[] = [
  { identity: 'alice_40starfall_2Egame', name: 'Alice Moreno' },
  { identity: 'ben_40starfall_2Egame', name: 'Ben Okafor' },
];

export interface ChannelNames {
  announcements: string;
  bugReports: string;
  featureRequests: string;
  support: string;
  staff: string;
}

/**
 * Builds the demo server the way an operator would: the server, its staff role and two people exist in Discord;
 * then flexcord's own `register-commands` and `setup-channels` code runs against the sandbox Discord over REST,
 * exactly as `flexcord register-commands --guild` and `flexcord setup-channels --guild` do.
 */
export async function seedDiscord(discord: FakeDiscord, names: ChannelNames): Promise<SandboxCast> {
  const guildName = 'Starfall Arena';
  const { guild } = discord.addGuild(guildName);
  const staffRoleId = discord.addRole(guild.id, 'Support Staff');
  const member = discord.addUser('ana');
  discord.addMember(guild.id, member.id);
  const staff = discord.addUser('sam');
  discord.addMember(guild.id, staff.id, { roles: [staffRoleId], admin: true });

  const rest = new REST({ api: discord.apiUrl }).setToken(discord.token);
  await registerSlashCommands(rest, discord.applicationId, guild.id);
  await setupChannels(rest, { guildId: guild.id, botUserId: discord.botUser.id, staffRoleId, names });
  return {
    guildId: guild.id,
    guildName,
    memberId: member.id,
    staffId: staff.id,
    staffRoleId,
    agents: SANDBOX_AGENTS,
  };
}

/** The official feed's first items: the relay announces them when it first polls. */
export function seedFeed(now = new Date()): FeedItem[] {
  const daysAgo = (n: number) => new Date(now.getTime() - n * 86_400_000).toISOString();
  return [
    {
      id: 'starfall-maintenance-1',
      title: 'Scheduled maintenance on Thursday',
      link: 'https://starfall.example/news/maintenance',
      description: 'Servers are down for about an hour while we install new hardware.',
      publishedAt: daysAgo(3),
    },
    {
      id: 'starfall-season-12',
      title: 'Season 12 patch notes',
      link: 'https://starfall.example/news/season-12',
      description: 'New arena, ranked rewards and a fix for the crash on start-up.',
      publishedAt: daysAgo(1),
    },
  ];
}
