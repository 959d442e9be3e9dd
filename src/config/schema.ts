import { z } from 'zod';
import { isAddressRange } from '../activities/feeds/address-policy';
import { apiTokenList } from './api-tokens';
import { DISCORD_DEFAULT_GLOBAL_RATE_LIMIT } from '../shared/task-queue';
import { payloadKeyList } from './payload-keys';
import { booleanFlag, durationSeconds, optionalPort, optionalString, optionalUrl, port } from './env-schema';

/** An ISO 8601 duration as Twilio's conversation timers take it, e.g. PT12H or P2D. */
const isoDuration = (fallback: string) =>
  z.preprocess(
    (v) => (v === '' ? undefined : v),
    z
      .string()
      .regex(/^P(?!$)(\d+D)?(T(?=\d)(\d+H)?(\d+M)?(\d+S)?)?$/, 'an ISO 8601 duration such as PT12H or P2D')
      .default(fallback),
  );

/**
 * Every environment variable flexcord reads, by its own name, so a validation error can name the variable.
 * Temporal connection variables (TEMPORAL_ADDRESS, TEMPORAL_NAMESPACE, TEMPORAL_API_KEY, TEMPORAL_TLS_*) are read
 * by @temporalio/envconfig the standard Temporal way; only the ones flexcord itself branches on appear here.
 */
export const envSchema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  LOG_LEVEL: z.enum(['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent']).default('info'),
  LOG_FORMAT: z.enum(['pretty', 'json']).optional(),
  FLEXCORD_DATA_DIR: z.string().default('.data'),

  TEMPORAL_ADDRESS: optionalString,
  TEMPORAL_NAMESPACE: z.string().default('default'),
  TEMPORAL_TASK_QUEUE: z.string().min(1).default('flexcord'),
  TEMPORAL_CLI_PATH: optionalString,
  TEMPORAL_DEV_PORT: port(7233),
  TEMPORAL_DEV_UI_PORT: port(8233),
  /**
   * Workflow executions a worker keeps in memory; the least recently used beyond it are evicted and replayed from
   * their history when they next have work. About 0.5 MiB of worker memory each (docs/PERFORMANCE.md, Scale).
   */
  WORKER_MAX_CACHED_WORKFLOWS: z.coerce.number().int().min(2).max(1_000_000).default(2000),

  HTTP_PORT: port(3000),
  HTTP_HOST: z.string().min(1).default('0.0.0.0'),
  PUBLIC_BASE_URL: optionalUrl,
  HTTP_BODY_LIMIT: z.string().default('100kb'),
  MEDIA_LINK_SECRET: optionalString,
  MEDIA_LINK_TTL_SECONDS: durationSeconds(7 * 24 * 60 * 60),

  DISCORD_TOKEN: optionalString,
  DISCORD_APPLICATION_ID: optionalString,
  DISCORD_API_URL: optionalUrl,
  DISCORD_STAFF_ROLE_ID: optionalString,
  DISCORD_SUPPORT_CHANNEL_ID: optionalString,
  DISCORD_PREFER_THREADS: booleanFlag(false),
  DISCORD_GUILD_ID: optionalString,
  DISCORD_SUPPORT_CHANNEL_NAME: z.string().min(1).default('support'),
  DISCORD_ANNOUNCEMENTS_CHANNEL: z.string().min(1).default('announcements'),
  DISCORD_BUG_CHANNEL: z.string().min(1).default('bug-reports'),
  DISCORD_FEATURE_CHANNEL: z.string().min(1).default('feature-requests'),
  DISCORD_STAFF_CHANNEL: z.string().min(1).default('case-followup'),
  DISCORD_CATCH_UP_HOLD_SECONDS: z.coerce.number().int().min(1).default(60),
  DISCORD_GLOBAL_RATE_LIMIT: z.coerce.number().int().min(2).default(DISCORD_DEFAULT_GLOBAL_RATE_LIMIT),

  TWILIO_ACCOUNT_SID: optionalString,
  TWILIO_AUTH_TOKEN: optionalString,
  TWILIO_API_KEY: optionalString,
  TWILIO_API_SECRET: optionalString,
  TWILIO_FLEX_WORKSPACE_SID: optionalString,
  TWILIO_FLEX_WORKFLOW_SID: optionalString,
  TWILIO_CONVERSATIONS_SERVICE_SID: optionalString,
  TWILIO_IDENTITY_SECRET: optionalString,
  TWILIO_API_BASE_URL: optionalUrl,
  TWILIO_TASK_CHANNEL: z.string().min(1).default('chat'),
  TWILIO_CONVERSATION_INACTIVE_TIMER: isoDuration('PT12H'),
  TWILIO_CONVERSATION_CLOSED_TIMER: isoDuration('P2D'),

  FLEX_MEDIA_MAX_BYTES: z.coerce.number().int().positive().default(16_777_216),
  FLEX_MEDIA_EXTENSIONS: z
    .string()
    .default('jpg,jpeg,png,amr,mp3,mp4,pdf,heic,txt,gif')
    .transform((v) =>
      v
        .split(',')
        .map((e) => e.trim().replace(/^\./, '').toLowerCase())
        .filter(Boolean),
    ),
  DISCORD_ATTACHMENT_HOSTS: z
    .string()
    .default('cdn.discordapp.com,media.discordapp.net')
    .transform((v) =>
      v
        .split(',')
        .map((h) => h.trim().toLowerCase())
        .filter(Boolean),
    ),

  PAYLOAD_ENCRYPTION_KEYS: payloadKeyList,
  ALLOW_UNENCRYPTED_PAYLOADS: booleanFlag(false),
  CODEC_ENDPOINT_TOKEN: optionalString,
  CODEC_CORS_ORIGINS: optionalString,

  DATABASE_URL: optionalString,
  API_TOKEN: optionalString,
  API_TOKENS: apiTokenList,

  KB_DIR: z.string().default('knowledge-base'),

  SUPPORT_INACTIVITY_SECONDS: durationSeconds(60 * 60),
  SUPPORT_INACTIVITY_REMINDER_SECONDS: durationSeconds(50 * 60),
  SUPPORT_AGENT_SLA_SECONDS: durationSeconds(10 * 60),
  SUPPORT_RATING_WINDOW_SECONDS: durationSeconds(24 * 60 * 60),
  SUPPORT_FLEX_RECONCILE_SECONDS: durationSeconds(60),
  /** Unset: eight times SUPPORT_FLEX_RECONCILE_SECONDS. */
  SUPPORT_FLEX_RECONCILE_MAX_SECONDS: z.preprocess(
    (v) => (v === '' ? undefined : v),
    z.coerce.number().int().positive().optional(),
  ),

  RATE_LIMIT_CONVERSATIONS: z.coerce.number().int().min(0).default(5),
  RATE_LIMIT_CONVERSATIONS_WINDOW_SECONDS: durationSeconds(60 * 60),
  RATE_LIMIT_REPORTS: z.coerce.number().int().min(0).default(5),
  RATE_LIMIT_REPORTS_WINDOW_SECONDS: durationSeconds(60 * 60),

  REPORT_TRIAGE_REMINDER_HOURS: z.coerce.number().positive().default(48),
  REPORT_STALE_REMINDER_DAYS: z.coerce.number().positive().default(7),

  FEED_URLS: optionalString,
  FEED_POLL_SECONDS: durationSeconds(15 * 60),
  FEED_ALLOWED_PRIVATE_RANGES: z
    .string()
    .default('')
    .transform((v) =>
      v
        .split(',')
        .map((r) => r.trim())
        .filter(Boolean),
    )
    .refine(
      (ranges) => ranges.every(isAddressRange),
      'comma-separated CIDR ranges or addresses, e.g. 10.20.0.0/16',
    ),

  METRICS_PORT: optionalPort,

  // OpenTelemetry's standard variables, the ones flexcord branches on; the exporter reads the rest itself.
  OTEL_SDK_DISABLED: booleanFlag(false),
  OTEL_TRACES_EXPORTER: z.preprocess(
    (v) => (v === '' ? undefined : v),
    z.enum(['otlp', 'console', 'none']).optional(),
  ),
  OTEL_EXPORTER_OTLP_ENDPOINT: optionalUrl,
  OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: optionalUrl,
  OTEL_EXPORTER_OTLP_HEADERS: optionalString,
  OTEL_SERVICE_NAME: optionalString,
});

export type Env = z.infer<typeof envSchema>;
