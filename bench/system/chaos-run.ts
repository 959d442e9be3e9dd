import { Client, Connection } from '@temporalio/client';
import { defaultSqliteFile, openCaseDatabase } from '../../src/cases';
import { SqlCaseStore } from '../../src/cases/sql-case-store';
import { RandomFaults } from '../../src/sandbox/random-faults';
import { supportWorkflowId } from '../../src/shared/support-types';
import { getConversationState } from '../../src/temporal/support-client';
import { type FlexcordProcesses } from './flexcord-processes';
import { drain, driveLoad } from './load';
import { type BenchConversation, type Direction, percentile, RelayLedger } from './relay-ledger';
import { type Fakes, inPool } from './world';

/** One stretch of a chaos run: load at a steady rate while (optionally) something is broken on purpose. */
export interface ChaosPhase {
  /** What is broken: the row label of the table. */
  fault: string;
  seconds: number;
  /** Breaks (and repairs) something; starts `faultAfterSeconds` into the phase while the load goes on. */
  inject?: () => Promise<void>;
  faultAfterSeconds?: number;
}

export interface ChaosRow {
  fault: string;
  messages: number;
  lost: number;
  duplicated: number;
  outOfOrder: number;
  worstDelayMs: number;
  p99Ms: number;
  orderExamples: string[];
  lostExamples: string[];
}

export interface ChaosResult {
  rows: ChaosRow[];
  total: ChaosRow;
  /** Conversations whose phase at the end is not the expected one (closed by the agent, or still with them). */
  wrongPhase: string[];
  /** Cases whose status or transcript does not match what was relayed (each delivered message once). */
  inconsistentCases: string[];
  faultCounts: Record<string, number>;
  webhooksDropped: number;
}

export interface ChaosOptions {
  fakes: Fakes;
  flexcord: FlexcordProcesses;
  temporalAddress: string;
  conversations: BenchConversation[];
  phases: ChaosPhase[];
  /** Messages in all, half each way, spread evenly over the phases. */
  messages: number;
  /** Share of Discord and Twilio REST requests that fail at random (0.2 in the full suite). */
  faultRate?: number;
  /** Share of Twilio webhooks lost (0.05 in the full suite). */
  webhookDropRate?: number;
  seed?: number;
  /** How long nothing may arrive before the rest counts as lost. */
  quietMs?: number;
  /** Close half the conversations from Flex at the end and check every phase and case. */
  checkEndState?: boolean;
  log?: (line: string) => void;
}

/**
 * Runs the load through each phase in turn, with the fakes failing at random throughout, then waits until every
 * message arrived or nothing more does, and counts at the fakes: lost, duplicated, out of order, worst delay.
 */
export async function runChaos(options: ChaosOptions): Promise<ChaosResult> {
  const { fakes, conversations, phases } = options;
  const log = options.log ?? (() => undefined);
  const ledger = new RelayLedger('chaos');
  const seconds = phases.reduce((n, p) => n + p.seconds, 0);
  const rate = options.messages / seconds;

  if (options.faultRate) {
    fakes.discord.randomFaults = new RandomFaults({ rate: options.faultRate, seed: options.seed ?? 1 });
    fakes.twilio.randomFaults = new RandomFaults({ rate: options.faultRate, seed: (options.seed ?? 1) + 1 });
  }
  if (options.webhookDropRate)
    fakes.twilio.dropWebhookShare(options.webhookDropRate, (options.seed ?? 1) + 2);
  const droppedBefore = fakes.twilio.deliveries.filter((d) => d.outcome === 'dropped').length;

  for (const phase of phases) {
    log(`${new Date().toISOString()} ${phase.fault}: ${phase.seconds} s at ${rate.toFixed(1)} msg/s`);
    const fault = phase.inject
      ? (async () => {
          await sleep((phase.faultAfterSeconds ?? 0) * 1000);
          await phase.inject!();
        })()
      : Promise.resolve();
    await Promise.all([
      driveLoad({
        fakes,
        conversations,
        ledger,
        ratePerSecond: rate,
        durationMs: phase.seconds * 1000,
        label: phase.fault,
      }),
      fault,
    ]);
  }
  log(`${new Date().toISOString()} waiting for the last messages`);
  await drain(fakes, conversations, ledger, () => true, { quietMs: options.quietMs ?? 120_000 });

  const arrivals = ledger.arrivals(fakes.discord, fakes.twilio, conversations);
  const row = (fault: string, filter: (label: string) => boolean): ChaosRow => {
    const counts = (['user_to_agent', 'agent_to_user'] as Direction[]).map((d) =>
      ledger.count(arrivals, d, (s) => filter(s.label)),
    );
    const latencies = counts.flatMap((c) => c.latenciesMs);
    return {
      fault,
      messages: counts.reduce((n, c) => n + c.sent, 0),
      lost: counts.reduce((n, c) => n + c.lost, 0),
      duplicated: counts.reduce((n, c) => n + c.duplicated, 0),
      outOfOrder: counts.reduce((n, c) => n + c.outOfOrder, 0),
      worstDelayMs: Math.max(0, ...counts.map((c) => c.worstDelayMs)),
      p99Ms: percentile(latencies, 99),
      orderExamples: counts.flatMap((c) => c.orderExamples),
      lostExamples: counts.flatMap((c) => c.lostExamples),
    };
  };
  const rows = phases.map((p) => row(p.fault, (label) => label === p.fault));
  const total = row('all phases', () => true);

  const result: ChaosResult = {
    rows,
    total,
    wrongPhase: [],
    inconsistentCases: [],
    faultCounts: {
      ...prefixed('discord', fakes.discord.randomFaults?.counts ?? {}),
      ...prefixed('twilio', fakes.twilio.randomFaults?.counts ?? {}),
    },
    webhooksDropped: fakes.twilio.deliveries.filter((d) => d.outcome === 'dropped').length - droppedBefore,
  };
  if (options.checkEndState) await checkEndState(options, ledger, arrivals, result, log);
  return result;
}

/**
 * Agents close every other conversation in Flex (under the same faults); then each conversation must be in the
 * expected phase, and its case must agree: closed or in progress, and every message that reached the other side
 * in its transcript exactly once.
 */
async function checkEndState(
  options: ChaosOptions,
  ledger: RelayLedger,
  arrivals: ReturnType<RelayLedger['arrivals']>,
  result: ChaosResult,
  log: (line: string) => void,
): Promise<void> {
  const { fakes, conversations } = options;
  const closing = conversations.filter((_, i) => i % 2 === 0);
  log(`${new Date().toISOString()} agents close ${closing.length} conversations`);
  await inPool(closing.length, 10, async (i) => {
    await fakes.twilio.agentCloses(closing[i]!.conversationSid);
  });
  const expected = new Map(conversations.map((c, i) => [c.index, i % 2 === 0 ? 'closed' : 'with_agent']));
  const workflowId = (c: BenchConversation) => supportWorkflowId(fakes.guildId, c.userId);
  const delivered = new Set([...arrivals.values()].flat().map((a) => a.token));
  const connection = await Connection.connect({ address: options.temporalAddress });
  const client = new Client({ connection });
  const database = await openCaseDatabase({
    sqliteFile: defaultSqliteFile(options.flexcord.options.dataDir),
  });
  const store = new SqlCaseStore(database.db);

  /** What is wrong now; a close takes a while under faults (Flex side, case, notices), so this is asked again. */
  const inspect = async () => {
    const wrongPhase: string[] = [];
    const inconsistentCases: string[] = [];
    for (const c of conversations) {
      const state = await getConversationState(client, workflowId(c)).catch((err: Error) => err);
      if (state instanceof Error) {
        wrongPhase.push(`${workflowId(c)}: ${state.message}`);
        continue;
      }
      if (state.phase !== expected.get(c.index))
        wrongPhase.push(`${workflowId(c)}: ${state.phase}, expected ${expected.get(c.index)}`);
      if (state.caseNumber === undefined) {
        inconsistentCases.push(`${workflowId(c)}: no case`);
        continue;
      }
      const detail = await store.getCase(state.caseNumber);
      if (!detail) {
        inconsistentCases.push(`case #${state.caseNumber}: missing`);
        continue;
      }
      const problems: string[] = [];
      const wantStatus = expected.get(c.index) === 'closed' ? 'closed' : 'in_progress';
      if (detail.status !== wantStatus) problems.push(`status ${detail.status}, expected ${wantStatus}`);
      const inTranscript = new Map<string, number>();
      for (const entry of detail.transcript)
        for (const m of entry.text.matchAll(/\[m:([a-z0-9-]+)\]/g))
          inTranscript.set(m[1]!, (inTranscript.get(m[1]!) ?? 0) + 1);
      for (const s of ledger.sent.values()) {
        if (s.conversation !== c.index) continue;
        const n = inTranscript.get(s.token) ?? 0;
        if (delivered.has(s.token) && n !== 1) problems.push(`${s.token} ${n} times in the transcript`);
        if (!delivered.has(s.token) && n > 0) problems.push(`${s.token} in the transcript, never delivered`);
      }
      if (problems.length > 0)
        inconsistentCases.push(`case #${state.caseNumber}: ${problems.slice(0, 5).join('; ')}`);
    }
    return { wrongPhase, inconsistentCases };
  };
  try {
    let last = await inspect();
    const deadline = Date.now() + 180_000;
    while ((last.wrongPhase.length > 0 || last.inconsistentCases.length > 0) && Date.now() < deadline) {
      await sleep(2000);
      last = await inspect();
    }
    result.wrongPhase = last.wrongPhase;
    result.inconsistentCases = last.inconsistentCases;
  } finally {
    await connection.close();
    await database.close();
  }
}

function prefixed(prefix: string, counts: Record<string, number>): Record<string, number> {
  return Object.fromEntries(Object.entries(counts).map(([k, v]) => [`${prefix} ${k}`, v]));
}

export function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}
