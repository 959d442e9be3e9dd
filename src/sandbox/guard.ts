import { type Config } from '../config';

/*
 * The sandbox plays Discord and Twilio itself. It must never run where real ones are meant (production), nor next to
 * a real credential or store, where a user could believe they talk to real customers, or sandbox workflows could
 * land in a real cluster or case database.
 */

/** Settings whose presence means "real accounts or real infrastructure": the sandbox refuses to start with any. */
export function realSettingsSet(config: Config): string[] {
  const set: [string, unknown][] = [
    ['DISCORD_TOKEN', config.discord.token],
    ['DISCORD_APPLICATION_ID', config.discord.applicationId],
    ['TWILIO_ACCOUNT_SID', config.twilio.accountSid],
    ['TWILIO_AUTH_TOKEN', config.twilio.authToken],
    ['TWILIO_API_KEY', config.twilio.apiKey],
    ['TWILIO_API_SECRET', config.twilio.apiSecret],
    ['TEMPORAL_ADDRESS', config.temporal.address],
    ['DATABASE_URL', config.cases.databaseUrl],
  ];
  return set.filter(([, value]) => value !== undefined && value !== '').map(([name]) => name);
}

/** Why the sandbox may not start with this configuration, or undefined when it may. */
export function sandboxRefusal(config: Config): string | undefined {
  if (config.env === 'production') {
    return 'the offline sandbox never runs with NODE_ENV=production. Unset NODE_ENV (or set it to development) to try flexcord locally.';
  }
  const real = realSettingsSet(config);
  if (real.length > 0) {
    return `the offline sandbox never runs with real accounts or infrastructure configured, and ${real.join(', ')} ${real.length === 1 ? 'is' : 'are'} set (in the environment or .env). Unset ${real.length === 1 ? 'it' : 'them'} to use the sandbox, or run \`flexcord start\` to use the real services.`;
  }
  return undefined;
}

/**
 * `npm start` (`flexcord start`, all roles) becomes the sandbox when nothing real is configured: no Discord or
 * Twilio credentials, no Temporal cluster, no external database, and not production.
 */
export function startsAsSandbox(config: Config): boolean {
  return sandboxRefusal(config) === undefined;
}
