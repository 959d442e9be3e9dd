import { type REST } from '@discordjs/rest';
import {
  type APIApplication,
  type APIOverwrite,
  type APIUser,
  ApplicationFlags,
  GatewayIntentBits,
  PermissionFlagsBits,
  type RESTAPIPartialCurrentUserGuild,
  Routes,
} from 'discord-api-types/v10';
import { createDiscordRest } from '../../activities/discord/discord-rest-port';
import { BOT_INTENTS } from '../../bot/create-client';
import { guildChannels, type ChannelPlan, planChannelSetup } from '../../bot/setup-channels';
import { type CheckOutcome, type CheckResult, fail, pass, runCheck, skip } from '../check';
import { type DoctorContext } from '../context';
import { errorSummary } from '../report';

/*
 * The Discord token through the REST client the worker uses: who the bot is, the privileged intents its
 * application has switched on, the servers it is in, and per server what `setup-channels` would create or repair.
 */

/** The privileged intents, and the application flags that say the developer portal allows them. */
const PRIVILEGED: { intent: GatewayIntentBits; name: string; flags: number }[] = [
  {
    intent: GatewayIntentBits.MessageContent,
    name: 'Message Content',
    flags: ApplicationFlags.GatewayMessageContent | ApplicationFlags.GatewayMessageContentLimited,
  },
  {
    intent: GatewayIntentBits.GuildMembers,
    name: 'Server Members',
    flags: ApplicationFlags.GatewayGuildMembers | ApplicationFlags.GatewayGuildMembersLimited,
  },
  {
    intent: GatewayIntentBits.GuildPresences,
    name: 'Presence',
    flags: ApplicationFlags.GatewayPresence | ApplicationFlags.GatewayPresenceLimited,
  },
];

/** What `setup-channels` needs to create channels and set their overwrites. */
const SETUP_PERMISSIONS = [
  { flag: PermissionFlagsBits.ManageChannels, name: 'Manage Channels' },
  { flag: PermissionFlagsBits.ManageRoles, name: 'Manage Roles' },
];

/** At most this many servers get a channel check each: a bot in hundreds would take minutes. */
const MAX_SERVERS = 10;

export async function discordChecks(ctx: DoctorContext): Promise<CheckResult[]> {
  const { discord } = ctx.config;
  if (!discord.token) {
    return [
      { id: 'discord.token', title: 'Discord token', ...skip('DISCORD_TOKEN is not set'), ms: 0 },
      ...skipAfterToken('DISCORD_TOKEN'),
    ];
  }
  const rest = createDiscordRest({ token: discord.token, apiUrl: discord.apiUrl, timeoutMs: ctx.timeoutMs });
  const options = { timeoutMs: ctx.timeoutMs, onError: discordFailure };
  let me: APIUser | undefined;
  const token = await runCheck(
    'discord.token',
    'Discord token',
    async () => {
      me = (await rest.get(Routes.user())) as APIUser;
      if (!me.bot) {
        return fail(
          `the token is ${me.username}'s, a user account`,
          'use the bot token (developer portal → Bot)',
        );
      }
      return pass(`the bot is ${me.username} (${me.id})`);
    },
    options,
  );
  if (token.status !== 'pass' || !me) return [token, ...skipAfterToken('a working Discord token')];
  const bot = me;
  const intents = await runCheck(
    'discord.intents',
    'Discord intents',
    () => privilegedIntents(rest, ctx),
    options,
  );
  let guilds: RESTAPIPartialCurrentUserGuild[] = [];
  const servers = await runCheck(
    'discord.servers',
    'Discord servers',
    async () => {
      guilds = (await rest.get(Routes.userGuilds())) as RESTAPIPartialCurrentUserGuild[];
      return serversOutcome(guilds, ctx);
    },
    options,
  );
  const checked = ctx.config.discord.guildId
    ? guilds.filter((g) => g.id === ctx.config.discord.guildId)
    : guilds.slice(0, MAX_SERVERS);
  const channels = await Promise.all(
    checked.map((guild) =>
      runCheck(
        `discord.channels.${guild.id}`,
        `Discord channels in ${guild.name}`,
        () => channelsIn(rest, guild, bot.id, ctx),
        options,
      ),
    ),
  );
  return [token, intents, servers, ...channels];
}

function skipAfterToken(what: string): CheckResult[] {
  return [
    { id: 'discord.intents', title: 'Discord intents', ...skip(`needs ${what}`), ms: 0 },
    { id: 'discord.servers', title: 'Discord servers', ...skip(`needs ${what}`), ms: 0 },
  ];
}

function discordFailure(err: unknown): CheckOutcome {
  const status = (err as { status?: number }).status;
  if (status === 401) {
    return fail(
      `Discord refused DISCORD_TOKEN (${errorSummary(err)})`,
      'copy the bot token again from the Discord developer portal (your application → Bot → Reset Token) into DISCORD_TOKEN',
    );
  }
  return fail(
    `Discord did not answer as expected: ${errorSummary(err)}`,
    'check that this machine reaches discord.com (or DISCORD_API_URL) and try again',
  );
}

async function privilegedIntents(rest: REST, ctx: DoctorContext): Promise<CheckOutcome> {
  const app = (await rest.get(Routes.currentApplication())) as APIApplication;
  const configuredId = ctx.config.discord.applicationId;
  if (configuredId && configuredId !== app.id) {
    return fail(
      `DISCORD_APPLICATION_ID ${configuredId} is not this bot's application (${app.id})`,
      `set DISCORD_APPLICATION_ID=${app.id}`,
    );
  }
  const needed = PRIVILEGED.filter((p) => BOT_INTENTS.includes(p.intent));
  const off = needed.filter((p) => (app.flags & p.flags) === 0);
  if (off.length > 0) {
    const names = off.map((p) => p.name).join(', ');
    return fail(
      `the ${names} intent is off for application ${app.name}, so the bot cannot log in`,
      `switch on ${names} Intent in the Discord developer portal (your application → Bot → Privileged Gateway Intents)`,
    );
  }
  return pass(`${needed.map((p) => p.name).join(', ')} switched on for application ${app.name}`);
}

function serversOutcome(guilds: RESTAPIPartialCurrentUserGuild[], ctx: DoctorContext): CheckOutcome {
  const wanted = ctx.config.discord.guildId;
  const invite = inviteUrl(ctx.config.discord.applicationId);
  if (guilds.length === 0) return fail('the bot is in no server', `invite it: ${invite}`);
  if (wanted && !guilds.some((g) => g.id === wanted)) {
    return fail(
      `the bot is not in DISCORD_GUILD_ID ${wanted} (it is in ${guilds.map((g) => g.name).join(', ')})`,
      `invite it to that server (${invite}) or correct DISCORD_GUILD_ID`,
    );
  }
  const shown = guilds
    .slice(0, MAX_SERVERS)
    .map((g) => g.name)
    .join(', ');
  const more = guilds.length > MAX_SERVERS ? ` and ${guilds.length - MAX_SERVERS} more` : '';
  return pass(`in ${guilds.length} server${guilds.length === 1 ? '' : 's'}: ${shown}${more}`);
}

function inviteUrl(applicationId: string | undefined): string {
  const permissions = SETUP_PERMISSIONS.reduce((a, p) => a | p.flag, 0n) | PermissionFlagsBits.SendMessages;
  return `https://discord.com/oauth2/authorize?client_id=${applicationId ?? '<DISCORD_APPLICATION_ID>'}&scope=bot+applications.commands&permissions=${permissions}`;
}

/** What `setup-channels` would change in one server (its own plan), and whether the bot may make the change. */
async function channelsIn(
  rest: REST,
  guild: RESTAPIPartialCurrentUserGuild,
  botUserId: string,
  ctx: DoctorContext,
): Promise<CheckOutcome> {
  const { discord } = ctx.config;
  const plan = planChannelSetup(await guildChannels(rest, guild.id), {
    guildId: guild.id,
    botUserId,
    staffRoleId: discord.staffRoleId,
    names: { ...discord.channels, support: discord.supportChannelName },
  });
  const todo = plan.filter((p) => p.action !== 'none');
  if (todo.length === 0) return pass(`${plan.map((p) => `#${p.name}`).join(', ')} set up`);
  const granted = BigInt(guild.permissions);
  const admin = (granted & PermissionFlagsBits.Administrator) !== 0n;
  const lacking = admin ? [] : SETUP_PERMISSIONS.filter((p) => (granted & p.flag) === 0n).map((p) => p.name);
  const command = `flexcord setup-channels --guild ${guild.id}`;
  return fail(
    todo.map((p) => describePlan(p, guild.id, botUserId, discord.staffRoleId)).join('; '),
    lacking.length > 0
      ? `give the bot ${lacking.join(' and ')} in ${guild.name}, then run \`${command}\``
      : `run \`${command}\``,
  );
}

function describePlan(p: ChannelPlan, guildId: string, botUserId: string, staffRoleId?: string): string {
  if (p.action === 'create') return `#${p.name} is missing`;
  if (p.action === 'none') return `#${p.name} is set up`;
  const whose = (o: APIOverwrite) =>
    o.id === botUserId
      ? "the bot's"
      : o.id === guildId
        ? "@everyone's"
        : o.id === staffRoleId
          ? "the staff role's"
          : `${o.id}'s`;
  return `#${p.name} lacks ${p.missing.map(whose).join(' and ')} permissions`;
}
