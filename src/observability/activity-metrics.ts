import { ApplicationFailure } from '@temporalio/common';
import {
  type ActivityExecuteInput,
  type ActivityInboundCallsInterceptor,
  type ActivityInterceptorsFactory,
  type Next,
} from '@temporalio/worker';
import { NON_RETRYABLE_SUPPORT_FAILURES } from '../shared/support-failures';
import { type FlexcordMetrics } from './metrics';

/** Which activity attempts are relays between a user and an agent, and in which direction. */
function relayDirection(activityType: string, args: unknown[]): string | undefined {
  if (activityType === 'postCustomerMessage') return 'user_to_agent';
  if (
    activityType === 'sendToDiscord' &&
    (args[0] as { kind?: string } | undefined)?.kind === 'agent_message'
  )
    return 'agent_to_user';
  return undefined;
}

/** `failed` when Temporal will not try again (the workflow's retry policies name the same failure types). */
function failureResult(err: unknown): 'retrying' | 'failed' {
  if (
    err instanceof ApplicationFailure &&
    (err.nonRetryable || NON_RETRYABLE_SUPPORT_FAILURES.includes(err.type ?? ''))
  )
    return 'failed';
  return 'retrying';
}

/**
 * Counts relays (each attempt: delivered, retrying or failed) and knowledge-base answers and misses as the worker
 * runs the activities, so the activity code and the workflows stay free of metrics.
 */
export function activityMetrics(metrics: FlexcordMetrics): ActivityInterceptorsFactory {
  return (ctx) => ({
    inbound: {
      async execute(
        input: ActivityExecuteInput,
        next: Next<ActivityInboundCallsInterceptor, 'execute'>,
      ): Promise<unknown> {
        const type = ctx.info.activityType;
        const direction = relayDirection(type, input.args);
        try {
          const result = await next(input);
          if (direction) metrics.relays.inc({ direction, result: 'delivered' });
          if (type === 'searchKnowledgeBase')
            metrics.knowledgeBase.inc({ result: (result as unknown[]).length > 0 ? 'answered' : 'miss' });
          return result;
        } catch (err) {
          if (direction) metrics.relays.inc({ direction, result: failureResult(err) });
          if (type === 'searchKnowledgeBase') metrics.knowledgeBase.inc({ result: 'error' });
          throw err;
        }
      },
    },
  });
}
