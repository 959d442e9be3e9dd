import fs from 'node:fs';
import dotenv from 'dotenv';
import { type Config, toConfig } from './config';
import { crossChecks } from './cross-checks';
import { envSchema } from './schema';

const checkedEnvSchema = envSchema.superRefine(crossChecks);

export class ConfigError extends Error {
  override name = 'ConfigError';
}

/**
 * Parse the configuration from the environment, with `.env` filling in what the environment lacks.
 * The message names each bad variable and why, never its value: values may be secrets.
 */
export function loadConfig(
  env: NodeJS.ProcessEnv = process.env,
  options: { dotenvPath?: string | false } = {},
): Config {
  const merged = { ...readDotenv(options.dotenvPath ?? '.env'), ...env };
  const parsed = checkedEnvSchema.safeParse(merged);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((issue) => `  ${issue.path.join('.')}: ${issue.message}`);
    throw new ConfigError(
      `Invalid configuration:\n${lines.join('\n')}\nSee .env.example for every variable.`,
    );
  }
  return toConfig(parsed.data);
}

function readDotenv(file: string | false): Record<string, string> {
  if (file === false || !fs.existsSync(file)) return {};
  return dotenv.parse(fs.readFileSync(file));
}

/** Thrown when a role starts without the variables it needs. */
export class MissingSettingsError extends ConfigError {
  constructor(
    readonly role: string,
    readonly variables: string[],
  ) {
    super(
      `The ${role} needs ${variables.join(', ')}. Set them in the environment or .env (see .env.example).`,
    );
  }
}

/** Checks that a role's settings are present; names the missing variables. */
export function requireSettings(role: string, settings: Record<string, unknown>): void {
  const missing = Object.entries(settings)
    .filter(([, value]) => value === undefined || value === '')
    .map(([name]) => name);
  if (missing.length > 0) throw new MissingSettingsError(role, missing);
}
