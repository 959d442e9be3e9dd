import path from 'node:path';
import { type ApiTokenSetting } from './api-tokens';
import { type PayloadKeySetting } from './payload-keys';
import { type Env } from './schema';

/** The parsed configuration, grouped by the part of the system that uses it. Built once at start, passed down. */
export interface Config {
  env: Env['NODE_ENV'];
  log: { level: Env['LOG_LEVEL']; format: 'pretty' | 'json' };
  dataDir: string;
  temporal: {
    /** Undefined means: start the embedded dev server. */
    address?: string;
    namespace: string;
    taskQueue: string;
    cliPath?: string;
    devPort: number;
    devUiPort: number;
    /** Workflow executions each worker process keeps cached (the rest are replayed when they next have work). */
    maxCachedWorkflows: number;
  };
  /** `host`: the address the webhook server binds (the offline sandbox keeps it on 127.0.0.1). */
  http: { port: number; host: string; publicBaseUrl?: string; bodyLimit: string };
  /**
   * Payload encryption: with keys, every client and worker encrypts what it sends Temporal (AES-256-GCM), and the
   * webhooks role serves the codec endpoint the Temporal Web UI decodes through.
   */
  payloads: {
    /** The first encrypts; all decrypt. Empty: payloads go to Temporal as plain JSON. */
    keys: PayloadKeySetting[];
    /** Production refuses to start without keys unless this says so. */
    allowUnencrypted: boolean;
    /** Required by the codec endpoint (bearer header or path segment); unset: generated at start for the embedded UI. */
    codecToken?: string;
    /** Browser origins allowed to call the codec endpoint: the Web UI's. */
    codecCorsOrigins: string[];
  };
  /** Signed links to agent attachments (Twilio media needs credentials, Discord users have none). */
  mediaLinks: { secret?: string; ttlSeconds: number };
  discord: {
    token?: string;
    applicationId?: string;
    apiUrl?: string;
    staffRoleId?: string;
    supportChannelId?: string;
    preferThreads: boolean;
    /** The guild DMs belong to when the bot serves one server (a DM does not say which guild). */
    guildId?: string;
    supportChannelName: string;
    /**
     * Channel names `setup-channels` creates and the bot's /bug and /new_feature commands expect; `staff` is the
     * staff-only channel report follow-up reminders are posted in.
     */
    channels: { announcements: string; bugReports: string; featureRequests: string; staff: string };
    /**
     * Discord's global limit for this bot, requests per second (50 unless Discord raised it). Every worker process
     * shares it: posts go through one task queue that Temporal dispatches at just under this rate. Always set by
     * the loader; optional so configurations built by hand (tests) keep Discord's default.
     */
    globalRateLimit?: number;
    /**
     * The longest a live message waits for its channel to be read back after a new gateway session (what the user
     * wrote while the bot was away goes first). Always set by the loader; optional for configurations built by hand.
     */
    catchUpHoldSeconds?: number;
  };
  twilio: {
    accountSid?: string;
    authToken?: string;
    apiKey?: string;
    apiSecret?: string;
    workspaceSid?: string;
    workflowSid?: string;
    conversationsServiceSid?: string;
    /** Customer identities in Twilio are an HMAC of the Discord user id under this secret. */
    identitySecret?: string;
    apiBaseUrl?: string;
    /** TaskRouter task channel for handed-over conversations (Flex chat: `chat`). */
    taskChannel: string;
    /** ISO 8601 durations after which Twilio marks an idle conversation inactive, then closed. */
    conversationTimers: { inactive: string; closed: string };
  };
  /**
   * Customers' Discord files relayed to Flex as media: Flex's documented limits for chat (one file per message, at
   * most `maxBytes`, these extensions), and the hosts files may be downloaded from (besides DISCORD_API_URL's).
   */
  customerMedia: { maxBytes: number; extensions: string[]; attachmentHosts: string[] };
  /** `apiTokens`: the case API's bearer tokens, each with the servers it may see (API_TOKENS, API_TOKEN). */
  cases: { databaseUrl?: string; apiTokens: ApiTokenSetting[] };
  kb: { dir: string };
  support: {
    inactivitySeconds: number;
    inactivityReminderSeconds: number;
    agentSlaSeconds: number;
    ratingWindowSeconds: number;
    /** While Flex has a conversation, how often the workflow reads it for events lost webhooks carried. */
    flexReconcileSeconds: number;
    /** The longest the reads back off to (unset: eight times `flexReconcileSeconds`). */
    flexReconcileMaxSeconds?: number;
  };
  /**
   * Per user and server: at most `points` conversations opened (or people asked for) and reports filed per window;
   * 0 points: no limit.
   */
  limits: {
    conversations: { points: number; windowSeconds: number };
    reports: { points: number; windowSeconds: number };
  };
  /** Staff are reminded of a report left untriaged for `triageReminderHours`, or triaged and idle for `staleReminderDays`. */
  reports: { triageReminderHours: number; staleReminderDays: number };
  /** `allowedPrivateRanges`: non-public address ranges feeds may be read from (none by default). */
  feeds: { urls: string[]; pollSeconds: number; allowedPrivateRanges: string[] };
  /** Prometheus metrics of this process on `port` (`/metrics`); off when unset. */
  metrics: { port?: number };
  /**
   * Traces (OpenTelemetry), off unless OTEL_TRACES_EXPORTER or an OTLP endpoint says where to send them.
   * `url` is the full OTLP/HTTP traces URL; `headers` is OTEL_EXPORTER_OTLP_HEADERS (may carry credentials).
   */
  tracing: { exporter: 'otlp' | 'console' | 'none'; url?: string; headers?: string; serviceName: string };
}

export function toConfig(env: Env): Config {
  return {
    env: env.NODE_ENV,
    log: {
      level: env.LOG_LEVEL,
      format: env.LOG_FORMAT ?? (env.NODE_ENV === 'production' ? 'json' : 'pretty'),
    },
    dataDir: path.resolve(env.FLEXCORD_DATA_DIR),
    temporal: {
      address: env.TEMPORAL_ADDRESS,
      namespace: env.TEMPORAL_NAMESPACE,
      taskQueue: env.TEMPORAL_TASK_QUEUE,
      cliPath: env.TEMPORAL_CLI_PATH,
      devPort: env.TEMPORAL_DEV_PORT,
      devUiPort: env.TEMPORAL_DEV_UI_PORT,
      maxCachedWorkflows: env.WORKER_MAX_CACHED_WORKFLOWS,
    },
    http: {
      port: env.HTTP_PORT,
      host: env.HTTP_HOST,
      publicBaseUrl: env.PUBLIC_BASE_URL,
      bodyLimit: env.HTTP_BODY_LIMIT,
    },
    payloads: {
      keys: env.PAYLOAD_ENCRYPTION_KEYS,
      allowUnencrypted: env.ALLOW_UNENCRYPTED_PAYLOADS,
      codecToken: env.CODEC_ENDPOINT_TOKEN,
      codecCorsOrigins: env.CODEC_CORS_ORIGINS
        ? env.CODEC_CORS_ORIGINS.split(',')
            .map((o) => o.trim())
            .filter(Boolean)
        : // The embedded dev server's Web UI, under either name a browser may use for it.
          [`http://localhost:${env.TEMPORAL_DEV_UI_PORT}`, `http://127.0.0.1:${env.TEMPORAL_DEV_UI_PORT}`],
    },
    mediaLinks: { secret: env.MEDIA_LINK_SECRET, ttlSeconds: env.MEDIA_LINK_TTL_SECONDS },
    discord: {
      token: env.DISCORD_TOKEN,
      applicationId: env.DISCORD_APPLICATION_ID,
      apiUrl: env.DISCORD_API_URL,
      staffRoleId: env.DISCORD_STAFF_ROLE_ID,
      supportChannelId: env.DISCORD_SUPPORT_CHANNEL_ID,
      preferThreads: env.DISCORD_PREFER_THREADS,
      guildId: env.DISCORD_GUILD_ID,
      supportChannelName: env.DISCORD_SUPPORT_CHANNEL_NAME,
      channels: {
        announcements: env.DISCORD_ANNOUNCEMENTS_CHANNEL,
        bugReports: env.DISCORD_BUG_CHANNEL,
        featureRequests: env.DISCORD_FEATURE_CHANNEL,
        staff: env.DISCORD_STAFF_CHANNEL,
      },
      globalRateLimit: env.DISCORD_GLOBAL_RATE_LIMIT,
      catchUpHoldSeconds: env.DISCORD_CATCH_UP_HOLD_SECONDS,
    },
    twilio: {
      accountSid: env.TWILIO_ACCOUNT_SID,
      authToken: env.TWILIO_AUTH_TOKEN,
      apiKey: env.TWILIO_API_KEY,
      apiSecret: env.TWILIO_API_SECRET,
      workspaceSid: env.TWILIO_FLEX_WORKSPACE_SID,
      workflowSid: env.TWILIO_FLEX_WORKFLOW_SID,
      conversationsServiceSid: env.TWILIO_CONVERSATIONS_SERVICE_SID,
      identitySecret: env.TWILIO_IDENTITY_SECRET,
      apiBaseUrl: env.TWILIO_API_BASE_URL,
      taskChannel: env.TWILIO_TASK_CHANNEL,
      conversationTimers: {
        inactive: env.TWILIO_CONVERSATION_INACTIVE_TIMER,
        closed: env.TWILIO_CONVERSATION_CLOSED_TIMER,
      },
    },
    customerMedia: {
      maxBytes: env.FLEX_MEDIA_MAX_BYTES,
      extensions: env.FLEX_MEDIA_EXTENSIONS,
      attachmentHosts: env.DISCORD_ATTACHMENT_HOSTS,
    },
    cases: {
      databaseUrl: env.DATABASE_URL,
      apiTokens: [
        ...env.API_TOKENS,
        // The schema refuses API_TOKEN without DISCORD_GUILD_ID.
        ...(env.API_TOKEN && env.DISCORD_GUILD_ID
          ? [{ token: env.API_TOKEN, guilds: [env.DISCORD_GUILD_ID] }]
          : []),
      ],
    },
    kb: { dir: path.resolve(env.KB_DIR) },
    support: {
      inactivitySeconds: env.SUPPORT_INACTIVITY_SECONDS,
      inactivityReminderSeconds: env.SUPPORT_INACTIVITY_REMINDER_SECONDS,
      agentSlaSeconds: env.SUPPORT_AGENT_SLA_SECONDS,
      ratingWindowSeconds: env.SUPPORT_RATING_WINDOW_SECONDS,
      flexReconcileSeconds: env.SUPPORT_FLEX_RECONCILE_SECONDS,
      ...(env.SUPPORT_FLEX_RECONCILE_MAX_SECONDS !== undefined
        ? { flexReconcileMaxSeconds: env.SUPPORT_FLEX_RECONCILE_MAX_SECONDS }
        : {}),
    },
    limits: {
      conversations: {
        points: env.RATE_LIMIT_CONVERSATIONS,
        windowSeconds: env.RATE_LIMIT_CONVERSATIONS_WINDOW_SECONDS,
      },
      reports: { points: env.RATE_LIMIT_REPORTS, windowSeconds: env.RATE_LIMIT_REPORTS_WINDOW_SECONDS },
    },
    reports: {
      triageReminderHours: env.REPORT_TRIAGE_REMINDER_HOURS,
      staleReminderDays: env.REPORT_STALE_REMINDER_DAYS,
    },
    feeds: {
      urls: (env.FEED_URLS ?? '')
        .split(',')
        .map((u) => u.trim())
        .filter(Boolean),
      pollSeconds: env.FEED_POLL_SECONDS,
      allowedPrivateRanges: env.FEED_ALLOWED_PRIVATE_RANGES,
    },
    metrics: { port: env.METRICS_PORT },
    tracing: tracingConfig(env),
  };
}

/**
 * OTEL_TRACES_EXPORTER decides; unset, an OTLP endpoint turns OTLP export on; OTEL_SDK_DISABLED turns it all off.
 * The spec's default exporter is otlp, but flexcord stays quiet unless told where to send traces.
 */
function tracingConfig(env: Env): Config['tracing'] {
  const base = env.OTEL_EXPORTER_OTLP_ENDPOINT?.replace(/\/+$/, '');
  const url = env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT ?? (base ? `${base}/v1/traces` : undefined);
  const exporter = env.OTEL_SDK_DISABLED ? 'none' : (env.OTEL_TRACES_EXPORTER ?? (url ? 'otlp' : 'none'));
  return {
    exporter,
    url,
    headers: env.OTEL_EXPORTER_OTLP_HEADERS,
    serviceName: env.OTEL_SERVICE_NAME ?? 'flexcord',
  };
}
