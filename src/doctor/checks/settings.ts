import { type Config } from '../../config';
import { missingTwilioSettings } from '../../activities/twilio/build-flex-port';
import { payloadDataConverter } from '../../temporal/data-converter';
import { type CheckOutcome, fail, pass } from '../check';

/*
 * Each role's settings, as the role itself would judge them at start (requireSettings, missingTwilioSettings, the
 * payload-encryption rule), without starting it. Names variables, never their values.
 */

const ENV_FIX = 'set them in the environment or .env (see .env.example for each variable)';

export function workerSettings(config: Config): CheckOutcome {
  const missing = [...(config.discord.token ? [] : ['DISCORD_TOKEN']), ...missingTwilioSettings(config)];
  const encryption = encryptionProblem(config);
  if (missing.length === 0 && !encryption)
    return pass('Discord, Twilio Flex and Temporal payload settings are set');
  const problems = [
    ...(missing.length ? [`missing ${missing.join(', ')}`] : []),
    ...(encryption ? [encryption] : []),
  ];
  return fail(
    `${problems.join('; ')} (without them the worker starts but its Discord or Flex activities fail)`,
    encryption && missing.length === 0
      ? 'set PAYLOAD_ENCRYPTION_KEYS (or ALLOW_UNENCRYPTED_PAYLOADS=true to accept plain payloads)'
      : ENV_FIX,
  );
}

export function botSettings(config: Config): CheckOutcome {
  const missing = [
    ...(config.discord.token ? [] : ['DISCORD_TOKEN']),
    ...(config.discord.applicationId ? [] : ['DISCORD_APPLICATION_ID']),
  ];
  if (missing.length === 0) return pass('DISCORD_TOKEN and DISCORD_APPLICATION_ID are set');
  return fail(`missing ${missing.join(', ')} (the bot role will not start)`, ENV_FIX);
}

export function webhooksSettings(config: Config): CheckOutcome {
  const missing = [
    // Twilio signs webhooks with the auth token; an API key cannot check them.
    ...(config.twilio.authToken ? [] : ['TWILIO_AUTH_TOKEN']),
    ...(config.http.publicBaseUrl ? [] : ['PUBLIC_BASE_URL']),
  ];
  if (missing.length === 0) return pass(`Twilio webhooks served on port ${config.http.port}`);
  return fail(
    `missing ${missing.join(', ')} (the webhook server does not serve /twilio/*, so agents' replies never arrive)`,
    ENV_FIX,
  );
}

function encryptionProblem(config: Config): string | undefined {
  try {
    payloadDataConverter(config);
    return undefined;
  } catch (err) {
    return (err as Error).message;
  }
}
