import { type Next, type WorkflowClientInterceptor, WorkflowNotFoundError } from '@temporalio/client';
import { type FlexcordMetrics } from './metrics';

function outcomeOf(err: unknown): string {
  return err instanceof WorkflowNotFoundError ? 'not_found' : 'error';
}

async function counted<T>(count: (outcome: string) => void, call: () => Promise<T>): Promise<T> {
  try {
    const result = await call();
    count('ok');
    return result;
  } catch (err) {
    count(outcomeOf(err));
    throw err;
  }
}

/**
 * Counts the signals and updates the bot, the webhooks and the CLI send to workflows, at the Temporal client, so
 * every caller is counted without touching it.
 */
export class MetricsClientInterceptor implements WorkflowClientInterceptor {
  constructor(private readonly metrics: FlexcordMetrics) {}

  signal(
    input: Parameters<NonNullable<WorkflowClientInterceptor['signal']>>[0],
    next: Next<WorkflowClientInterceptor, 'signal'>,
  ): Promise<void> {
    return counted(
      (outcome) => this.metrics.signalsSent.inc({ signal: input.signalName, outcome }),
      () => next(input),
    );
  }

  signalWithStart(
    input: Parameters<NonNullable<WorkflowClientInterceptor['signalWithStart']>>[0],
    next: Next<WorkflowClientInterceptor, 'signalWithStart'>,
  ): Promise<string> {
    return counted(
      (outcome) => this.metrics.signalsSent.inc({ signal: input.signalName, outcome }),
      () => next(input),
    );
  }

  startUpdate(
    input: Parameters<NonNullable<WorkflowClientInterceptor['startUpdate']>>[0],
    next: Next<WorkflowClientInterceptor, 'startUpdate'>,
  ) {
    return counted(
      (outcome) => this.metrics.updatesSent.inc({ update: input.updateName, outcome }),
      () => next(input),
    );
  }

  startUpdateWithStart(
    input: Parameters<NonNullable<WorkflowClientInterceptor['startUpdateWithStart']>>[0],
    next: Next<WorkflowClientInterceptor, 'startUpdateWithStart'>,
  ) {
    return counted(
      (outcome) => this.metrics.updatesSent.inc({ update: input.updateName, outcome }),
      () => next(input),
    );
  }
}
