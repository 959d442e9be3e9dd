import assert from 'node:assert/strict';
import { type ActivityDeps, createActivities } from '../src/activities';
import type { SupportActivities } from '../src/activities/support-activity-types';

/*
 * The support workflow proxies SupportActivities by name; the worker registers createActivities. This fails to
 * compile (typecheck is part of `npm test`) if an activity the workflow calls is missing or has another shape.
 */
type Registered = ReturnType<typeof createActivities>;
const contract: (activities: Registered) => SupportActivities = (activities) => activities;

describe('support activity contract', () => {
  it('the worker registers every activity the support workflow calls', () => {
    const names: (keyof SupportActivities)[] = [
      'openSupportChannel',
      'sendToDiscord',
      'ensureFlexConversation',
      'postCustomerMessage',
      'handToFlex',
      'escalateFlexTask',
      'fetchFlexUpdates',
      'listFlexTasks',
      'estimateAgentWait',
      'closeFlexConversation',
      'relayCustomerAttachment',
      'editFlexMessage',
      'removeFlexMessages',
      'editDiscordMessage',
      'deleteDiscordMessages',
      'openCase',
      'appendTranscript',
      'updateCase',
      'getCaseTranscript',
      'latestStaffNotes',
      'searchKnowledgeBase',
      'recordConversation',
    ];
    // The adapters are never called here: only the registered names and their shapes matter.
    const registered = contract(createActivities({ workerIdentity: 'contract' } as ActivityDeps));
    const missing = names.filter((name) => typeof registered[name] !== 'function');
    assert.deepEqual(missing, []);
  });
});
