import {
  allHandlersFinished,
  ApplicationFailure,
  condition,
  continueAsNew,
  getExternalWorkflowHandle,
  log,
  patched,
  proxyActivities,
  setHandler,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import type { UpdateDefinition } from '@temporalio/common';
import type { CaseActivities } from '../../activities/cases/activities';
import type { DiscordActivities } from '../../activities/discord/activities';
import {
  addNoteUpdate,
  assignUpdate,
  closeReportUpdate,
  duplicateLinkedSignal,
  fileReportUpdate,
  forgetReporterSignal,
  markDuplicateUpdate,
  reportStateQuery,
  triageUpdate,
} from '../../shared/report-messages';
import {
  type FollowUpClock,
  isFinalPhase,
  STATUS_OF_PHASE,
  type ReportOutcome,
  type ReportPhase,
  type ReportState,
  type ReportWorkflowInput,
  type StaffAction,
  type StaffActionResult,
} from '../../shared/report-types';
import { CaseNumberKey, CaseStatusKey, CaseTypeKey } from '../../shared/search-attributes';
import { closedNotice, duplicateNotice, originalClosedNotice, triagedNotice } from './notices';
import { staffReminder } from './reminders';
import { ReporterDms } from './reporter-dms';

const cases = proxyActivities<CaseActivities>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', maximumInterval: '1 minute' },
});
const discord = proxyActivities<Pick<DiscordActivities, 'sendDirectMessage'>>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', maximumInterval: '5 minutes' },
});
// A reminder is best effort: retrying one for long would hold up the staff actions queued behind it, and the next
// reminder comes at the next interval anyway.
const staffChannel = proxyActivities<Pick<DiscordActivities, 'postGuildChannelNotice'>>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '2 seconds', maximumInterval: '1 minute', maximumAttempts: 5 },
});

/** Versions of this workflow's behaviour, so histories recorded before each change still replay. */
const TRIAGE_DM_PATCH = 'report-triage-dm';
const FOLLOW_UP_PATCH = 'report-follow-up-reminders';

/**
 * The reporter's DMs go out on their own loop after the staff action is answered (before: the action waited for
 * them, so a Discord outage hung /case, the API and the CLI), the duplicates' in batches; a run continues as new
 * after `RUN_EVENT_BUDGET` events as well as when the server suggests it.
 */
const DMS_APART_PATCH = 'report-dms-apart';
const RUN_EVENT_BUDGET = 5000;

/** Applied staff actions remembered across continue-as-new, so a late retry of an old action is still a no-op. */
const REMEMBERED_ACTIONS = 200;

/** Work a handler queued for the main loop: the store write and DMs for one accepted staff action. */
interface Effect {
  eventId: string;
  phase: ReportPhase;
  run(caseNumber: number): Promise<{ reporterNotified?: boolean }>;
}

/**
 * One bug report or feature request, from filing to resolution: open → triaged → resolved | declined (a duplicate
 * is declined and linked to its original). Staff act through updates; handlers only check and change state, and
 * queue the I/O, which the main loop runs in order. The reporter gets a DM when the report is resolved, declined or
 * marked a duplicate, and duplicates' reporters get one when the original is closed.
 *
 * Follow-up: with `input.followUp`, a report nobody moves is brought up in the staff channel, repeatedly at the
 * same interval: an untriaged one until it is triaged (notes and assignments do not count: it still awaits
 * triage), a triaged one until any staff action restarts its clock.
 */
export async function reportWorkflow(input: ReportWorkflowInput): Promise<ReportOutcome> {
  // Decided once per run, before its first command, so a run never mixes the two ways of sending DMs.
  const dmsApart = patched(DMS_APART_PATCH);
  const report = input.report;
  const state: ReportState = input.carried?.state ?? {
    type: report.type,
    phase: 'open',
    guildId: report.guildId,
    reporter: report.reporter,
    title: report.title,
    priority: 'normal',
    duplicates: [],
    ...(report.locale ? { locale: report.locale } : {}),
    ...(report.guildLocale ? { guildLocale: report.guildLocale } : {}),
  };
  const applied = new Map<string, StaffActionResult>(input.carried?.applied ?? []);
  const queued = new Set<string>();
  const outbox: Effect[] = [];
  let clock: FollowUpClock = input.carried?.clock ?? { since: Date.now(), reminders: 0 };
  const dms = new ReporterDms(input.carried?.dms ?? [], state);

  setHandler(reportStateQuery, () => state);
  setHandler(fileReportUpdate, async () => {
    await condition(() => state.caseNumber !== undefined);
    return { caseNumber: state.caseNumber! };
  });

  /** Registers a staff action: `check` throws to reject it, `apply` changes state and returns the I/O to run. */
  function staffAction<A extends StaffAction>(
    update: UpdateDefinition<StaffActionResult, [A]>,
    check: (action: A) => void,
    apply: (action: A) => Effect['run'],
  ): void {
    const seen = (a: A) => applied.has(a.eventId) || queued.has(a.eventId);
    setHandler(
      update,
      async (action) => {
        if (!seen(action)) {
          await condition(() => state.caseNumber !== undefined);
          // Checked again: another action may have been accepted while this one waited for the case number.
          if (!seen(action)) {
            check(action);
            queued.add(action.eventId);
            const phaseBefore = state.phase;
            const run = apply(action);
            if (state.phase !== phaseBefore || state.phase === 'triaged') {
              clock = { since: Date.now(), reminders: 0 };
            }
            outbox.push({ eventId: action.eventId, phase: state.phase, run });
          }
        }
        await condition(() => applied.has(action.eventId));
        return applied.get(action.eventId)!;
      },
      { validator: (action) => (seen(action) ? undefined : check(action)) },
    );
  }

  const notOver = () => {
    if (isFinalPhase(state.phase)) {
      throw ApplicationFailure.create({
        type: 'ReportClosed',
        message: `the report is already ${state.phase}`,
      });
    }
  };

  staffAction(
    triageUpdate,
    () => {
      if (state.phase !== 'open') {
        throw ApplicationFailure.create({
          type: 'InvalidTransition',
          message: `the report is already ${state.phase}`,
        });
      }
    },
    (action) => {
      state.phase = 'triaged';
      if (action.priority) state.priority = action.priority;
      return async (caseNumber) => {
        await cases.updateCase({
          caseNumber,
          changes: {
            status: STATUS_OF_PHASE.triaged,
            ...(action.priority ? { priority: action.priority } : {}),
          },
          event: { eventId: action.eventId, actor: action.actor, action: 'triaged', detail: action.note },
        });
        if (!patched(TRIAGE_DM_PATCH)) return {};
        const reporterNotified = await tellReporter(
          caseNumber,
          action.eventId,
          triagedNotice(state, caseNumber, action.note),
        );
        return { reporterNotified };
      };
    },
  );

  staffAction(assignUpdate, notOver, (action) => {
    state.assignedAgent = action.agent;
    return async (caseNumber) => {
      await cases.updateCase({
        caseNumber,
        changes: { assignedAgent: action.agent },
        event: { eventId: action.eventId, actor: action.actor, action: 'assigned', detail: action.agent },
      });
      return {};
    };
  });

  staffAction(addNoteUpdate, notOver, (action) => async (caseNumber) => {
    await cases.updateCase({
      caseNumber,
      changes: {},
      event: { eventId: action.eventId, actor: action.actor, action: 'note', detail: action.note },
    });
    return {};
  });

  staffAction(closeReportUpdate, notOver, (action) => {
    state.phase = action.resolution;
    state.resolutionNote = action.note;
    const duplicates = [...state.duplicates];
    return async (caseNumber) => {
      await cases.updateCase({
        caseNumber,
        changes: { status: STATUS_OF_PHASE[action.resolution], closeReason: action.resolution },
        event: {
          eventId: action.eventId,
          actor: action.actor,
          action: action.resolution,
          detail: action.note,
        },
      });
      const reporterNotified = await tellReporter(
        caseNumber,
        action.eventId,
        closedNotice(state, caseNumber, action.resolution, action.note),
      );
      if (dmsApart) {
        if (duplicates.length > 0) {
          dms.queue.push({
            kind: 'duplicates',
            eventId: action.eventId,
            resolution: action.resolution,
            note: action.note,
            targets: duplicates,
            next: 0,
          });
        }
        return { reporterNotified };
      }
      for (const dup of duplicates) {
        await discord.sendDirectMessage({
          userId: dup.reporterId,
          dedupeKey: `case-${dup.caseNumber}-original-${action.eventId}`,
          text: originalClosedNotice(
            state,
            caseNumber,
            dup.caseNumber,
            action.resolution,
            action.note,
            dup.locale,
          ),
        });
      }
      return { reporterNotified };
    };
  });

  staffAction(
    markDuplicateUpdate,
    (action) => {
      notOver();
      if (action.originalCaseNumber === state.caseNumber) {
        throw ApplicationFailure.create({ type: 'InvalidLink', message: 'a report cannot duplicate itself' });
      }
      // A link across servers would DM this server's reporter about another server's report, and the other way
      // round. Actions recorded before the field existed carry no guild and are judged as they were then.
      if (action.originalGuildId !== undefined && action.originalGuildId !== state.guildId) {
        throw ApplicationFailure.create({
          type: 'InvalidLink',
          message: `case #${action.originalCaseNumber} is in another server: duplicates link only within one server`,
        });
      }
    },
    (action) => {
      state.phase = 'declined';
      state.duplicateOf = action.originalCaseNumber;
      return async (caseNumber) => {
        await cases.linkCases({
          caseNumber,
          linkedCaseNumber: action.originalCaseNumber,
          kind: 'duplicate_of',
          event: {
            eventId: action.eventId,
            actor: action.actor,
            action: 'linked_duplicate',
            detail: action.note,
          },
        });
        await cases.updateCase({
          caseNumber,
          changes: {
            status: STATUS_OF_PHASE.declined,
            closeReason: `duplicate_of:${action.originalCaseNumber}`,
          },
          event: { eventId: `${action.eventId}:close`, actor: action.actor, action: 'declined' },
        });
        if (action.originalWorkflowId) {
          try {
            await getExternalWorkflowHandle(action.originalWorkflowId).signal(duplicateLinkedSignal, {
              eventId: action.eventId,
              caseNumber,
              reporterId: state.reporter.discordId,
              guildId: state.guildId,
              ...(state.locale ? { locale: state.locale } : {}),
            });
          } catch {
            // The original's workflow has ended (it is closed already): nothing more to follow there.
          }
        }
        const reporterNotified = await tellReporter(
          caseNumber,
          action.eventId,
          duplicateNotice(state, caseNumber, action.originalCaseNumber, action.note),
        );
        return { reporterNotified };
      };
    },
  );

  setHandler(duplicateLinkedSignal, (event) => {
    if (event.guildId !== undefined && event.guildId !== state.guildId) {
      // Following it would tell another server's member about this report when it closes.
      log.warn('ignored a duplicate link from another server', { duplicate: event.caseNumber });
      return;
    }
    if (!state.duplicates.some((d) => d.caseNumber === event.caseNumber)) {
      state.duplicates.push({
        caseNumber: event.caseNumber,
        reporterId: event.reporterId,
        ...(event.locale ? { locale: event.locale } : {}),
      });
    }
  });

  // A new signal: histories recorded before it never carry one, so they replay unchanged without a patch.
  setHandler(forgetReporterSignal, ({ reporterId }) => {
    state.duplicates = state.duplicates.filter((d) => d.reporterId !== reporterId);
  });

  /**
   * DMs the reporter and logs on the case whether it reached them; with DMs apart, queues that for the DM loop and
   * answers undefined (not known yet).
   */
  async function tellReporter(
    caseNumber: number,
    eventId: string,
    text: string,
  ): Promise<boolean | undefined> {
    if (dmsApart) {
      dms.queue.push({ kind: 'reporter', eventId, text });
      return undefined;
    }
    const { delivered } = await discord.sendDirectMessage({
      userId: state.reporter.discordId,
      dedupeKey: `case-${caseNumber}-${eventId}`,
      text,
    });
    await cases.updateCase({
      caseNumber,
      changes: {},
      event: {
        eventId: `${eventId}:dm`,
        actor: 'flexcord',
        action: delivered ? 'reporter_notified' : 'reporter_unreachable',
      },
    });
    return delivered;
  }

  if (state.caseNumber === undefined) {
    const opened = await cases.openCase({
      idempotencyKey: report.idempotencyKey,
      type: report.type,
      guildId: report.guildId,
      reporter: report.reporter,
      title: report.title,
      description: report.description,
      fields: report.fields,
      workflowId: workflowInfo().workflowId,
    });
    state.caseNumber = opened.caseNumber;
  }
  const caseNumber = state.caseNumber;
  publish(state, caseNumber);
  const followUp = input.followUp && patched(FOLLOW_UP_PATCH) ? input.followUp : undefined;
  const reminderInterval = () =>
    followUp && (state.phase === 'open' ? followUp.triageReminderMs : followUp.staleReminderMs);

  /** Posts the reminder that is due now; a failure is logged, never fatal: the report itself is unaffected. */
  async function remindStaff(intervalMs: number): Promise<void> {
    const reminder = { ...clock };
    clock = { ...clock, reminders: clock.reminders + 1 };
    try {
      const { posted } = await staffChannel.postGuildChannelNotice({
        guildId: state.guildId,
        channelName: followUp!.staffChannel,
        dedupeKey: `case-${caseNumber}-reminder-${reminder.since}-${reminder.reminders}`,
        embed: staffReminder(state, caseNumber, reminder, intervalMs),
      });
      if (!posted) {
        log.warn('no staff channel to post a report reminder in; run `flexcord setup-channels`', {
          caseNumber,
          channel: followUp!.staffChannel,
        });
      }
    } catch (err) {
      log.warn('could not post a report reminder', { caseNumber, error: String(err) });
    }
  }

  /** Waits for `ready` or the next staff reminder (posting it); false when the reminder came first. */
  async function waitForWork(ready: () => boolean): Promise<boolean> {
    const interval = isFinalPhase(state.phase) ? undefined : reminderInterval();
    if (interval === undefined) {
      await condition(ready);
      return true;
    }
    const due = clock.since + interval * (clock.reminders + 1);
    // Never a zero timeout: the SDK reads 0 as "no timeout at all".
    if (await condition(ready, Math.max(1, due - Date.now()))) return true;
    await remindStaff(interval);
    return false;
  }

  if (dmsApart) {
    const budget = input.continueAsNewAfterEvents ?? RUN_EVENT_BUDGET;
    const continueAsNewDue = () =>
      workflowInfo().continueAsNewSuggested || workflowInfo().historyLength >= budget;
    const finished = () => isFinalPhase(state.phase) && outbox.length === 0 && dms.done;
    void dms.run(continueAsNewDue);
    while (!finished()) {
      const ready = () => outbox.length > 0 || finished() || (continueAsNewDue() && !dms.busy);
      if (!(await waitForWork(ready))) continue;
      const effect = outbox.shift();
      if (effect) {
        // The change is stored: the staff action is answered now; its DMs are queued for the DM loop.
        const { reporterNotified } = await effect.run(caseNumber);
        applied.set(effect.eventId, {
          caseNumber,
          phase: effect.phase,
          ...(reporterNotified === undefined ? {} : { reporterNotified }),
        });
        queued.delete(effect.eventId);
        publish(state, caseNumber);
      } else if (continueAsNewDue() && !dms.busy) {
        // An update accepted in this very activation may not have queued its effect yet: let it, then decide.
        await condition(() => allHandlersFinished() || outbox.length > 0);
        if (outbox.length > 0 || dms.busy || !allHandlersFinished()) continue;
        await continueAsNew<typeof reportWorkflow>({
          report,
          ...(input.followUp ? { followUp: input.followUp } : {}),
          ...(input.continueAsNewAfterEvents
            ? { continueAsNewAfterEvents: input.continueAsNewAfterEvents }
            : {}),
          carried: { state, applied: [...applied].slice(-REMEMBERED_ACTIONS), clock, dms: dms.queue },
        });
      }
    }
    await condition(allHandlersFinished);
    return {
      caseNumber,
      phase: state.phase,
      ...(state.duplicateOf ? { duplicateOf: state.duplicateOf } : {}),
    };
  }

  while (!(isFinalPhase(state.phase) && outbox.length === 0)) {
    const ready = () => outbox.length > 0 || workflowInfo().continueAsNewSuggested;
    const interval = isFinalPhase(state.phase) ? undefined : reminderInterval();
    if (interval !== undefined) {
      const due = clock.since + interval * (clock.reminders + 1);
      // Never a zero timeout: the SDK reads 0 as "no timeout at all".
      if (!(await condition(ready, Math.max(1, due - Date.now())))) {
        await remindStaff(interval);
        continue;
      }
    } else {
      await condition(ready);
    }
    const effect = outbox.shift();
    if (effect) {
      const result = await effect.run(caseNumber);
      applied.set(effect.eventId, { caseNumber, phase: effect.phase, ...result });
      queued.delete(effect.eventId);
      publish(state, caseNumber);
    } else if (outbox.length === 0 && allHandlersFinished()) {
      await continueAsNew<typeof reportWorkflow>({
        report,
        ...(input.followUp ? { followUp: input.followUp } : {}),
        carried: { state, applied: [...applied].slice(-REMEMBERED_ACTIONS), clock },
      });
    }
  }
  // Let callers of the last update get their answer before the workflow completes.
  await condition(allHandlersFinished);
  return { caseNumber, phase: state.phase, ...(state.duplicateOf ? { duplicateOf: state.duplicateOf } : {}) };
}

function publish(state: ReportState, caseNumber: number): void {
  upsertSearchAttributes([
    { key: CaseNumberKey, value: caseNumber },
    { key: CaseTypeKey, value: state.type },
    { key: CaseStatusKey, value: STATUS_OF_PHASE[state.phase] },
  ]);
}
