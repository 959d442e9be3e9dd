import { Context } from '@temporalio/activity';
import { type FlexPort } from './port';
import { toActivityFailure } from './retry-policy';

/**
 * The Twilio Flex activities. Each wraps one FlexPort call and turns Twilio errors into retryable or permanent
 * ApplicationFailures (see retry-policy.ts); the port methods themselves are idempotent, so retries are safe.
 */
export function createTwilioActivities(port: FlexPort) {
  return {
    ensureFlexConversation: (input: Parameters<FlexPort['ensureConversation']>[0]) =>
      mapped('ensureFlexConversation', () => port.ensureConversation(input)),
    postCustomerMessage: (input: Parameters<FlexPort['postCustomerMessage']>[0]) =>
      mapped('postCustomerMessage', () =>
        port.postCustomerMessage(firstAttempt() ? { ...input, firstAttempt: true } : input),
      ),
    handToFlex: (input: Parameters<FlexPort['handToFlex']>[0]) =>
      mapped('handToFlex', () => port.handToFlex(input)),
    escalateFlexTask: (input: Parameters<FlexPort['escalate']>[0]) =>
      mapped('escalateFlexTask', () => port.escalate(input)),
    fetchFlexUpdates: (input: Parameters<FlexPort['fetchUpdates']>[0]) =>
      mapped('fetchFlexUpdates', () => port.fetchUpdates(input)),
    listFlexTasks: (input: Parameters<FlexPort['handoffTasks']>[0]) =>
      mapped('listFlexTasks', () => port.handoffTasks(input)),
    estimateAgentWait: (input: Parameters<FlexPort['estimateWait']>[0]) =>
      mapped('estimateAgentWait', () => port.estimateWait(input)),
    closeFlexConversation: (input: Parameters<FlexPort['close']>[0]) =>
      mapped('closeFlexConversation', () => port.close(input)),
  };
}

export type TwilioActivities = ReturnType<typeof createTwilioActivities>;

/** Whether this is an activity's first attempt; outside an activity (the adapter's tests) it counts as a retry. */
function firstAttempt(): boolean {
  try {
    return Context.current().info.attempt <= 1;
  } catch {
    return false;
  }
}

async function mapped<T>(operation: string, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (err) {
    throw toActivityFailure(err, operation);
  }
}
