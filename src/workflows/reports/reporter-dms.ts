import { condition, log, proxyActivities } from '@temporalio/workflow';
import type { CaseActivities } from '../../activities/cases/activities';
import type { DiscordActivities } from '../../activities/discord/activities';
import type { ReportDm, ReportState } from '../../shared/report-types';
import { originalClosedNotice } from './notices';

/*
 * The DMs a report owes its reporter and its duplicates' reporters, sent by a loop of their own beside the
 * workflow's main loop: a staff action is answered as soon as its change is stored, and a Discord outage delays the
 * DMs (retried without end, at most five minutes apart) without holding up the next staff action.
 */

const discord = proxyActivities<Pick<DiscordActivities, 'sendDirectMessage' | 'sendDirectMessages'>>({
  startToCloseTimeout: '2 minutes',
  retry: { initialInterval: '1 second', maximumInterval: '5 minutes' },
});
const cases = proxyActivities<Pick<CaseActivities, 'updateCase'>>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', maximumInterval: '1 minute' },
});

/** DMs per activity: Discord allows about 50 requests a second, and each DM takes two. */
export const DM_BATCH = 20;

export class ReporterDms {
  /** True while a DM or a batch is on its way: continue-as-new waits for it, so nothing is sent twice. */
  busy = false;

  constructor(
    readonly queue: ReportDm[],
    private readonly state: ReportState,
  ) {}

  /** Nothing left to send. */
  get done(): boolean {
    return this.queue.length === 0 && !this.busy;
  }

  private get caseNumber(): number {
    return this.state.caseNumber!;
  }

  /**
   * Sends what is queued, one DM or batch at a time, never starting one while `paused()` (continue-as-new is due:
   * what is left travels to the next run). Runs for the life of the workflow run.
   */
  async run(paused: () => boolean): Promise<never> {
    for (;;) {
      await condition(() => this.queue.length > 0 && !paused());
      this.busy = true;
      try {
        await this.sendNext();
      } catch (err) {
        // Retries are over and Discord refused for good (the user left Discord, say): this DM is given up.
        await this.giveUp(err);
      } finally {
        this.busy = false;
      }
    }
  }

  private async giveUp(err: unknown): Promise<void> {
    const dm = this.queue[0]!;
    log.warn('a report DM could not be sent', { caseNumber: this.caseNumber, error: String(err) });
    if (dm.kind === 'duplicates') {
      // Only this batch is lost; the other duplicates' reporters are still told.
      dm.next += DM_BATCH;
      if (dm.next >= dm.targets.length) this.queue.shift();
      return;
    }
    this.queue.shift();
    await cases.updateCase({
      caseNumber: this.caseNumber,
      changes: {},
      event: { eventId: `${dm.eventId}:dm`, actor: 'flexcord', action: 'reporter_unreachable' },
    });
  }

  private async sendNext(): Promise<void> {
    const dm = this.queue[0]!;
    if (dm.kind === 'reporter') {
      const { delivered } = await discord.sendDirectMessage({
        userId: this.state.reporter.discordId,
        dedupeKey: `case-${this.caseNumber}-${dm.eventId}`,
        text: dm.text,
      });
      await cases.updateCase({
        caseNumber: this.caseNumber,
        changes: {},
        event: {
          eventId: `${dm.eventId}:dm`,
          actor: 'flexcord',
          action: delivered ? 'reporter_notified' : 'reporter_unreachable',
        },
      });
      this.queue.shift();
      return;
    }
    const batch = dm.targets.slice(dm.next, dm.next + DM_BATCH);
    const { delivered } = await discord.sendDirectMessages({
      messages: batch.map((dup) => ({
        userId: dup.reporterId,
        dedupeKey: `case-${dup.caseNumber}-original-${dm.eventId}`,
        text: originalClosedNotice(
          this.state,
          this.caseNumber,
          dup.caseNumber,
          dm.resolution,
          dm.note,
          dup.locale,
        ),
      })),
    });
    const unreachable = delivered.filter((d) => !d).length;
    if (unreachable > 0) log.info('some duplicate reporters have DMs closed', { unreachable });
    dm.next += batch.length;
    if (dm.next >= dm.targets.length) this.queue.shift();
  }
}
