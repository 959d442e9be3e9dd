import { collectDefaultMetrics, Counter, Gauge, Registry } from 'prom-client';
import { SUPPORT_PHASES, type SupportPhase } from '../shared/support-types';

/** Counts conversations per phase when asked (a Temporal visibility count); set by the role that can ask. */
export type PhaseCounter = () => Promise<Record<SupportPhase, number>>;

/**
 * flexcord's own Prometheus metrics, one registry per process, built at start and handed to the parts that count.
 * Label values are always from small fixed sets (route templates, never ids), so series stay few.
 */
export class FlexcordMetrics {
  readonly registry = new Registry();

  readonly webhooksReceived = new Counter({
    name: 'flexcord_webhooks_received_total',
    help: 'Twilio webhooks received, by kind (conversations, taskrouter) and outcome',
    labelNames: ['kind', 'outcome'] as const,
    registers: [this.registry],
  });

  readonly signalsSent = new Counter({
    name: 'flexcord_signals_sent_total',
    help: 'Signals (and signal-with-starts) sent to workflows, by signal name and outcome',
    labelNames: ['signal', 'outcome'] as const,
    registers: [this.registry],
  });

  readonly updatesSent = new Counter({
    name: 'flexcord_updates_sent_total',
    help: 'Workflow updates (and update-with-starts) sent, by update name and outcome',
    labelNames: ['update', 'outcome'] as const,
    registers: [this.registry],
  });

  readonly relays = new Counter({
    name: 'flexcord_relays_total',
    help: 'Messages relayed between a Discord user and a Flex agent, by direction and result of each attempt',
    labelNames: ['direction', 'result'] as const,
    registers: [this.registry],
  });

  readonly knowledgeBase = new Counter({
    name: 'flexcord_kb_searches_total',
    help: 'Knowledge-base searches for a user question, by result (answered, miss, error)',
    labelNames: ['result'] as const,
    registers: [this.registry],
  });

  readonly catchUpWaits = new Counter({
    name: 'flexcord_bot_catch_up_waits_total',
    help: 'Live messages held by the bot for its catch-up after a new gateway session, by outcome (in_order: sent after their channel was read back; gave_up: sent before, after the longest wait)',
    labelNames: ['outcome'] as const,
    registers: [this.registry],
  });

  readonly discordRequests = new Counter({
    name: 'flexcord_discord_requests_total',
    help: 'Discord REST responses, by method, route template and HTTP status',
    labelNames: ['method', 'route', 'status'] as const,
    registers: [this.registry],
  });

  readonly discordRateLimited = new Counter({
    name: 'flexcord_discord_rate_limited_total',
    help: 'Discord rate limits, by method, route and source (429: Discord answered 429; bucket: held back locally)',
    labelNames: ['method', 'route', 'source'] as const,
    registers: [this.registry],
  });

  readonly twilioRequests = new Counter({
    name: 'flexcord_twilio_requests_total',
    help: 'Twilio REST responses, by method, route template and HTTP status (network failures: status "error")',
    labelNames: ['method', 'route', 'status'] as const,
    registers: [this.registry],
  });

  readonly twilioRateLimited = new Counter({
    name: 'flexcord_twilio_rate_limited_total',
    help: 'Twilio answers with 429 Too Many Requests, by method and route template',
    labelNames: ['method', 'route'] as const,
    registers: [this.registry],
  });

  private phaseCounter?: PhaseCounter;

  readonly conversations: Gauge<'phase'>;

  constructor(options: { processMetrics?: boolean } = {}) {
    const phaseCounter = () => this.phaseCounter;
    this.conversations = new Gauge({
      name: 'flexcord_conversations',
      help: 'Running support conversations by phase (from Temporal visibility; the same value on every worker)',
      labelNames: ['phase'] as const,
      registers: [this.registry],
      async collect() {
        const count = phaseCounter();
        if (!count) return;
        try {
          const counts = await count();
          for (const phase of SUPPORT_PHASES) this.set({ phase }, counts[phase]);
        } catch {
          // Temporal did not answer: no number beats a stale one, and the rest of the scrape still works.
          this.reset();
        }
      },
    });
    // CPU, memory, event-loop lag and GC of this process, under the usual names (process_*, nodejs_*).
    if (options.processMetrics) collectDefaultMetrics({ register: this.registry });
  }

  /** Where `flexcord_conversations` reads its numbers; only roles with a Temporal client set it. */
  countConversationsWith(counter: PhaseCounter): void {
    this.phaseCounter = counter;
  }
}
