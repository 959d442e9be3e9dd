import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createCaseActivities } from '../../src/activities/cases/activities';
import type { AnnouncementEmbed } from '../../src/activities/discord/port';
import { type CaseDatabase, openCaseDatabase } from '../../src/cases/database';
import { SqlCaseStore } from '../../src/cases/sql-case-store';
import type { FileReportInput } from '../../src/shared/report-types';

/** A case store on a fresh SQLite file, removed by `close()`. */
export async function tempCaseStore(): Promise<{
  store: SqlCaseStore;
  database: CaseDatabase;
  close(): Promise<void>;
}> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'flexcord-cases-'));
  const database = await openCaseDatabase({ sqliteFile: path.join(dir, 'cases.db') });
  return {
    store: new SqlCaseStore(database.db),
    database,
    async close() {
      await database.close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

export interface SentDm {
  userId: string;
  dedupeKey: string;
  text: string;
}

export interface StaffPost {
  guildId: string;
  channelName: string;
  dedupeKey: string;
  embed: AnnouncementEmbed;
}

/**
 * The activities a report workflow calls: the real case activities on `store`, and a fake Discord DM that records
 * what it was asked to send (once per dedupe key, like the real adapter) and can refuse users whose DMs are closed.
 */
export function reportActivities(
  store: SqlCaseStore,
  options: { closedDms?: Set<string>; staffChannels?: Set<string> } = {},
) {
  const sent: SentDm[] = [];
  /** Staff-channel posts, once per dedupe key; only channels in `staffChannels` exist (all when unset). */
  const staffPosts: StaffPost[] = [];
  const attempts: SentDm[] = [];
  const sendDirectMessage = async (input: SentDm): Promise<{ delivered: boolean }> => {
    attempts.push(input);
    if (options.closedDms?.has(input.userId)) return { delivered: false };
    if (!sent.some((s) => s.dedupeKey === input.dedupeKey)) sent.push(input);
    return { delivered: true };
  };
  const activities = {
    ...createCaseActivities({ caseStore: store }),
    sendDirectMessage,
    /** Several DMs in one step, as a report tells its duplicates' reporters. */
    async sendDirectMessages(input: { messages: SentDm[] }): Promise<{ delivered: boolean[] }> {
      const delivered: boolean[] = [];
      for (const message of input.messages) delivered.push((await sendDirectMessage(message)).delivered);
      return { delivered };
    },
    async postGuildChannelNotice(input: StaffPost): Promise<{ posted: boolean; messageId?: string }> {
      if (options.staffChannels && !options.staffChannels.has(input.channelName)) return { posted: false };
      if (!staffPosts.some((p) => p.dedupeKey === input.dedupeKey)) staffPosts.push(input);
      return { posted: true, messageId: String(staffPosts.length) };
    },
  };
  return { activities, sent, attempts, staffPosts };
}

let counter = 0;
export function reportInput(overrides: Partial<FileReportInput> = {}): FileReportInput {
  counter += 1;
  return {
    idempotencyKey: `interaction-${Date.now()}-${counter}`,
    type: 'bug',
    guildId: '100000000000000001',
    reporter: { discordId: '200000000000000001', name: 'Ada' },
    title: 'Checkout button does nothing',
    description: 'Pressing checkout on mobile does nothing.',
    fields: { steps: 'open cart, press checkout', expected: 'payment page' },
    ...overrides,
  };
}
