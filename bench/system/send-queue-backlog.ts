import { Connection } from '@temporalio/client';
import { temporal } from '@temporalio/proto';

/**
 * Samples how many activity tasks wait in a task queue (the Temporal server's approximate backlog), twice a
 * second, so a benchmark can tell the seconds in which the Discord send queue had work waiting from those in which
 * it waited for the workflows to feed it.
 */
export class SendQueueBacklog {
  private readonly samples: { at: number; backlog: number }[] = [];
  private timer?: NodeJS.Timeout;
  private connection?: Promise<Connection>;

  constructor(
    private readonly address: string,
    private readonly taskQueue: string,
  ) {}

  start(): void {
    this.connection = Connection.connect({ address: this.address });
    const tick = async () => {
      try {
        this.samples.push({ at: Date.now(), backlog: await this.read() });
      } catch {
        // A sample lost while a worker restarts is only a gap.
      }
      this.timer = setTimeout(() => void tick(), 500);
    };
    void tick();
  }

  stop(): void {
    clearTimeout(this.timer);
    void this.connection?.then((c) => c.close());
  }

  /** The backlog of the last sample taken at or before `at` (0 before the first). */
  at(time: number): number {
    let value = 0;
    for (const s of this.samples) {
      if (s.at > time) break;
      value = s.backlog;
    }
    return value;
  }

  /** Waits until the backlog reaches `target` or stops growing for `quietMs`; returns it. */
  async waitUntilSettled(options: { target: number; quietMs: number; timeoutMs: number }): Promise<number> {
    const started = Date.now();
    let best = -1;
    let bestAt = Date.now();
    for (;;) {
      const now = await this.read();
      if (now > best) {
        best = now;
        bestAt = Date.now();
      }
      if (now >= options.target || Date.now() - bestAt >= options.quietMs) return now;
      if (Date.now() - started > options.timeoutMs) return now;
      await new Promise((r) => setTimeout(r, 1000));
    }
  }

  private async read(): Promise<number> {
    const connection = await this.connection!;
    const { enums } = temporal.api;
    const answer = await connection.workflowService.describeTaskQueue({
      namespace: 'default',
      taskQueue: { name: this.taskQueue, kind: enums.v1.TaskQueueKind.TASK_QUEUE_KIND_NORMAL },
      taskQueueType: enums.v1.TaskQueueType.TASK_QUEUE_TYPE_ACTIVITY,
      reportStats: true,
    });
    return Number(answer.stats?.approximateBacklogCount ?? 0);
  }
}
