export interface DiagnosticsDeps {
  /** The identity the worker registered with Temporal, e.g. `4242@host`. */
  workerIdentity: string;
  now?: () => Date;
}

export function createDiagnosticsActivities(deps: DiagnosticsDeps) {
  const now = deps.now ?? (() => new Date());
  return {
    async reportWorkerHealth(): Promise<{ workerIdentity: string; checkedAt: string }> {
      return { workerIdentity: deps.workerIdentity, checkedAt: now().toISOString() };
    },
  };
}

export type DiagnosticsActivities = ReturnType<typeof createDiagnosticsActivities>;
