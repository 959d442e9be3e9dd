import { randomUUID } from 'node:crypto';
import type { StartSupportInput, SupportTimings, UserMessageEvent } from '../../src/shared/support-types';

/** Timings long enough to stay out of the way unless a test shortens one on purpose. */
export const QUIET_TIMINGS: SupportTimings = {
  inactivitySeconds: 3600,
  inactivityReminderSeconds: 3000,
  agentSlaSeconds: 3600,
  ratingWindowSeconds: 3600,
};

/** A fresh guild and user per test, so each test has its own workflow id. */
export function newSupportInput(timings: Partial<SupportTimings> = {}): StartSupportInput {
  return supportInputFor(randomUUID().slice(0, 8), timings);
}

/** The input of user `u<suffix>` in guild `g<suffix>`; the suffix also makes that test's event ids unique. */
export function supportInputFor(suffix: string, timings: Partial<SupportTimings> = {}): StartSupportInput {
  return {
    user: { guildId: `g${suffix}`, userId: `u${suffix}`, userName: `player-${suffix}` },
    timings: { ...QUIET_TIMINGS, ...timings },
    preferThread: false,
  };
}

let messageCounter = 0;

export function userMessage(text: string, extra: Partial<UserMessageEvent> = {}): UserMessageEvent {
  messageCounter += 1;
  return {
    eventId: `m${Date.now()}${messageCounter}`,
    text,
    attachments: [],
    sentAt: new Date().toISOString(),
    ...extra,
  };
}

/** Polls until `check` stops throwing; fails with the last assertion error after `timeoutMs`. */
export async function eventually<T>(check: () => T | Promise<T>, timeoutMs = 20_000): Promise<T> {
  const started = Date.now();
  for (;;) {
    try {
      return await check();
    } catch (err) {
      if (Date.now() - started > timeoutMs) throw err;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
}
