import { ApplicationFailure } from '@temporalio/common';
import { type DiscordAPIError } from '@discordjs/rest';
import { SUPPORT_FAILURE_TYPES } from '../../shared/support-failures';

/*
 * Discord errors that mean the server is not set up for flexcord: a channel is missing or deleted, or the bot lacks
 * a permission. Only an operator can fix them, so they fail at once (a retry would only hide them for hours) with a
 * message that says what to do.
 */

/** Discord error codes of a server that is not set up for flexcord. */
export const SETUP_ERROR_CODES = { unknownChannel: 10003, missingAccess: 50001, missingPermissions: 50013 };

const SETUP_FIX =
  'run `flexcord setup-channels --guild <id>` (or /setup_channels in the server) to repair them';

/** Thrown by the adapter itself when a channel flexcord needs is not there. */
export class DiscordSetupError extends Error {
  override name = 'DiscordSetupError';
}

/** The permission each request needs, so a 50013 can say which one to grant (Discord does not say). */
const NEEDED: [method: string, path: RegExp, permission: string][] = [
  ['POST', /\/channels\/\d+\/threads$/, 'Create Private Threads'],
  ['PUT', /\/channels\/\d+\/thread-members\/\d+$/, 'Send Messages in Threads'],
  ['POST', /\/channels\/\d+\/messages\/\d+\/crosspost$/, 'Send Messages'],
  [
    'POST',
    /\/channels\/\d+\/messages$/,
    'View Channel, Send Messages (in a thread: Send Messages in Threads) and Embed Links',
  ],
  ['GET', /\/channels\/\d+\/messages$/, 'Read Message History'],
  ['POST', /\/guilds\/\d+\/channels$/, 'Manage Channels and Manage Roles'],
  ['PUT', /\/channels\/\d+\/permissions\/\d+$/, 'Manage Roles'],
];

function neededPermission(method: string, path: string): string {
  return NEEDED.find(([m, p]) => m === method && p.test(path))?.[2] ?? 'View Channel';
}

/** The failure for a Discord error that a server's setup causes, or undefined for any other error. */
export function setupFailure(err: DiscordAPIError): ApplicationFailure | undefined {
  const method = err.method.toUpperCase();
  const path = new URL(err.url).pathname.replace(/^\/api(\/v\d+)?/, '');
  const channelId = /\/channels\/(\d+)/.exec(path)?.[1];
  const where = channelId ? `in channel ${channelId}` : 'in this server';
  let message: string | undefined;
  switch (err.code) {
    case SETUP_ERROR_CODES.missingPermissions:
      message =
        `Discord refused ${method} ${path} (50013 Missing Permissions): the bot needs ` +
        `${neededPermission(method, path)} ${where}. Grant it to the bot's role, or ${SETUP_FIX}.`;
      break;
    case SETUP_ERROR_CODES.missingAccess:
      message =
        `Discord refused ${method} ${path} (50001 Missing Access): the bot cannot see the channel. ` +
        `Give it View Channel ${where}, or ${SETUP_FIX}.`;
      break;
    case SETUP_ERROR_CODES.unknownChannel:
      message =
        `channel ${channelId ?? '?'} does not exist (10003 Unknown Channel): it was deleted, or ` +
        `DISCORD_SUPPORT_CHANNEL_ID names a channel that is gone; ${SETUP_FIX}.`;
      break;
  }
  return message === undefined
    ? undefined
    : ApplicationFailure.create({
        type: SUPPORT_FAILURE_TYPES.discordSetup,
        message,
        nonRetryable: true,
        details: [{ status: err.status, code: err.code }],
      });
}

/** A missing channel found by the adapter itself. */
export function setupErrorFailure(err: DiscordSetupError): ApplicationFailure {
  return ApplicationFailure.create({
    type: SUPPORT_FAILURE_TYPES.discordSetup,
    message: err.message,
    nonRetryable: true,
  });
}
