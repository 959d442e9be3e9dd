import assert from 'node:assert/strict';
import { ConversationModel, MAX_SEEN_EVENT_IDS } from '../src/workflows/support/state';
import { appendBounded, caseTitle, flexTaskAttributes, userEntry } from '../src/workflows/support/transcript';
import { newSupportInput, userMessage } from './support/conversation-helpers';

/* The workflow's pure parts: timers, dedupe and what goes to Flex. */
describe('support conversation state', () => {
  const input = newSupportInput({
    inactivitySeconds: 60,
    inactivityReminderSeconds: 50,
    agentSlaSeconds: 30,
    ratingWindowSeconds: 10,
  });

  it('schedules the reminder, then the close, from the last activity, and no timers while waiting', () => {
    const model = ConversationModel.start(input, 'ep-1', 1_000);
    assert.equal(model.nextDeadline(), 51_000);
    model.state.reminderSent = true;
    assert.equal(model.nextDeadline(), 61_000);
    model.touch(5_000);
    assert.equal(model.nextDeadline(), 55_000, 'activity resets the clock and the reminder');

    model.state.phase = 'waiting_for_agent';
    assert.equal(model.nextDeadline(), undefined, 'no SLA before the hand-over is done');
    model.state.waitingSince = 7_000;
    assert.equal(model.nextDeadline(), 37_000, 'the SLA alone');
    model.state.escalated = true;
    assert.equal(model.nextDeadline(), undefined);
  });

  it('reads Flex every interval while Flex has the conversation, only once the patch is on, and carries the cursor', () => {
    const model = ConversationModel.start(
      newSupportInput({ ...input.timings, agentSlaSeconds: 3600, flexReconcileSeconds: 5 }),
      'ep-r',
      0,
    );
    model.state.phase = 'waiting_for_agent';
    assert.equal(model.wantsReconcile(), false, 'no Flex conversation yet');
    model.state.flexConversation = { conversationSid: 'CH1', customerIdentity: 'discord:1' };
    model.state.waitingSince = 2_000;
    assert.equal(model.wantsReconcile(), true);
    assert.equal(model.reconcileAt(), undefined, 'off until the workflow turns the patch on');
    model.reconcileEnabled = true;
    assert.equal(model.nextDeadline(), 7_000, 'one interval after the hand-over');
    model.state.flexReconciledAt = 7_000;
    model.state.flexMessageCursor = 4;
    assert.equal(model.nextDeadline(), 12_000);
    model.state.phase = 'with_agent';
    model.touch(10_000);
    assert.equal(model.reconcileAt(), 12_000, 'also while with the agent');
    assert.equal(model.carry().flexMessageCursor, 4);

    model.state.phase = 'closed';
    assert.equal(model.reconcileAt(), undefined, 'never after the close');
    model.reopen('ep-r2', 20_000);
    assert.equal(model.state.flexMessageCursor, undefined, 'a new conversation starts its own cursor');
  });

  it('does not read Flex when the interval is 0', () => {
    const model = ConversationModel.start(newSupportInput({ flexReconcileSeconds: 0 }), 'ep-z', 0);
    model.reconcileEnabled = true;
    model.state.phase = 'with_agent';
    model.state.flexConversation = { conversationSid: 'CH1', customerIdentity: 'discord:1' };
    model.state.waitingSince = 0;
    assert.equal(model.reconcileAt(), undefined);
  });

  it('skips the reminder when it would not come before the close', () => {
    const model = ConversationModel.start(
      newSupportInput({ inactivitySeconds: 60, inactivityReminderSeconds: 60 }),
      'ep',
      0,
    );
    assert.equal(model.nextDeadline(), 60_000);
  });

  it('queues each event once and forgets only the oldest ids past the bound', () => {
    const model = ConversationModel.start(input, 'ep-2', 0);
    const first = userMessage('one');
    assert.equal(model.receive({ kind: 'user_message', event: first }), true);
    assert.equal(model.receive({ kind: 'user_message', event: first }), false);
    assert.equal(
      model.receive({ kind: 'request_human', event: { eventId: first.eventId } }),
      true,
      'ids are per kind',
    );
    for (let i = 0; i < MAX_SEEN_EVENT_IDS; i++)
      model.receive({ kind: 'rating', event: { eventId: `r${i}`, rating: 5 } });
    assert.equal(model.carry().seenEventIds.length, MAX_SEEN_EVENT_IDS);
    assert.equal(model.receive({ kind: 'user_message', event: first }), true, 'the oldest id was forgotten');
  });

  it('carries its state into the next run and keeps deduplicating', () => {
    const model = ConversationModel.start(input, 'ep-3', 0);
    const seen = userMessage('hello');
    model.receive({ kind: 'user_message', event: seen });
    model.state.caseNumber = 12;
    model.state.phase = 'with_agent';
    const next = ConversationModel.start({ ...input, resume: model.carry() }, 'ignored', 99);
    assert.equal(next.state.episodeKey, 'ep-3');
    assert.equal(next.state.caseNumber, 12);
    assert.equal(next.state.run, 2);
    assert.equal(next.receive({ kind: 'user_message', event: seen }), false);
  });

  it('starts a fresh conversation on reopen but keeps the channel, the seen ids and a pending rating', () => {
    const model = ConversationModel.start(
      { ...input, channel: { channelId: 'dm-1', kind: 'dm' } },
      'ep-4',
      0,
    );
    model.receive({ kind: 'user_close', event: { eventId: 'c1' } });
    Object.assign(model.state, {
      phase: 'closed',
      caseNumber: 3,
      pendingRating: { caseNumber: 3, until: 10_000 },
    });
    model.reopen('ep-5', 500);
    assert.equal(model.phase, 'bot');
    assert.equal(model.state.caseNumber, undefined);
    assert.deepEqual(model.state.channel, { channelId: 'dm-1', kind: 'dm' });
    assert.deepEqual(model.state.pendingRating, { caseNumber: 3, until: 10_000 });
    assert.equal(model.receive({ kind: 'user_close', event: { eventId: 'c1' } }), false);
  });

  it('titles the case after the first question and gives Flex a transcript excerpt', () => {
    const user = input.user;
    const entries = [
      userEntry(user, userMessage('  My guild chest\nis empty  ')),
      userEntry(user, userMessage('agent')),
    ];
    assert.equal(caseTitle(entries, user), 'My guild chest is empty');
    assert.equal(caseTitle([], user), `Support request from ${user.userName}`);
    const attributes = flexTaskAttributes({
      caseNumber: 7,
      user,
      workflowId: 'wf',
      title: 'My guild chest is empty',
      articles: [],
      transcript: entries,
    });
    assert.equal(attributes.caseNumber, 7);
    assert.equal(attributes.channel, 'discord');
    assert.match(String(attributes.transcript), /My guild chest is empty/);
    assert.equal(String(attributes.transcript).split('\n').length, 2);
  });

  it('keeps only the newest entries of a bounded list', () => {
    assert.deepEqual(appendBounded([1, 2, 3], 4, 3), [2, 3, 4]);
    assert.deepEqual(appendBounded([1], 2, 3), [1, 2]);
  });
});
