import { log, patched, proxyActivities } from '@temporalio/workflow';
import type { SupportActivities } from '../../activities/support-activity-types';
import type { StaffNote } from '../../shared/case-types';
import { NON_RETRYABLE_SUPPORT_FAILURES } from '../../shared/support-failures';
import type { DiscordUserRef } from '../../shared/support-types';
import { truncate } from './transcript';

/** The newest staff notes that travel to Flex with a handed-off case; older ones stay in the case store. */
export const STAFF_NOTES_IN_TASK = 5;
/** Histories recorded before staff notes reached the Flex task never asked for them. */
const STAFF_NOTES_TO_FLEX = 'staff-notes-to-flex';

/**
 * Notes only add context to the agent's task: a few quick tries, so a slow case store never holds up a handoff (the
 * handoff's own case-store calls retry far longer).
 */
const notes = proxyActivities<Pick<SupportActivities, 'latestStaffNotes'>>({
  startToCloseTimeout: '10 seconds',
  retry: {
    initialInterval: '1 second',
    maximumInterval: '2 seconds',
    maximumAttempts: 3,
    nonRetryableErrorTypes: NON_RETRYABLE_SUPPORT_FAILURES,
  },
});

/** What the Flex task shows of a note: the case it is on, who wrote it, when, and the text (clipped). */
export interface TaskStaffNote {
  caseNumber: number;
  author: string;
  at: string;
  text: string;
}

/**
 * The staff's private notes on this user's cases in this guild, newest first, for the Flex task attributes. They
 * never go into the Twilio conversation: everything a non-customer writes there is relayed to the user.
 */
export async function staffNotesForTask(user: DiscordUserRef): Promise<TaskStaffNote[] | undefined> {
  if (!patched(STAFF_NOTES_TO_FLEX)) return undefined;
  let found: StaffNote[];
  try {
    found = await notes.latestStaffNotes({
      guildId: user.guildId,
      reporterId: user.userId,
      limit: STAFF_NOTES_IN_TASK,
    });
  } catch (err) {
    log.warn('could not read staff notes for the Flex task; handing off without them', {
      error: String(err),
    });
    return [];
  }
  return found.map((n) => ({
    caseNumber: n.caseNumber,
    author: n.author,
    at: n.at,
    text: truncate(n.text, 500),
  }));
}
