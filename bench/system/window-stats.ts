import { monitorEventLoopDelay } from 'node:perf_hooks';
import os from 'node:os';
import { type RoleProcess } from './role-process';
import { readProcessStats } from './process-stats';

export interface WindowStats {
  wallSeconds: number;
  /** CPU used in the window, in cores (1.0 = one core busy the whole time), per process. */
  cpuCores: Record<string, number>;
  /** Resident memory at the end of the window, MiB. */
  rssMiB: Record<string, number>;
  /** The harness process (the fakes and the load): event-loop delay p99, so a saturated fake would show. */
  harnessEventLoopP99Ms: number;
  loadAverage1m: number;
}

/**
 * CPU and memory of every process in a stretch of a run: the roles, the Temporal server and the harness itself,
 * which hosts the fakes. The harness's CPU share and event-loop delay show whether the fakes had headroom.
 */
export class StatsWindow {
  private readonly start = Date.now();
  private readonly harnessCpu = process.cpuUsage();
  private readonly startCpu = new Map<string, number>();
  private readonly loop = monitorEventLoopDelay({ resolution: 10 });

  constructor(
    private readonly processes: RoleProcess[],
    private readonly others: Record<string, () => number | undefined> = {},
  ) {
    for (const p of processes) this.startCpu.set(p.name, p.stats().cpuSeconds);
    for (const [name, pid] of Object.entries(others)) {
      const id = pid();
      this.startCpu.set(name, (id && readProcessStats(id)?.cpuSeconds) || 0);
    }
    this.loop.enable();
  }

  end(): WindowStats {
    this.loop.disable();
    const wall = (Date.now() - this.start) / 1000;
    const cpuCores: Record<string, number> = {};
    const rssMiB: Record<string, number> = {};
    const used = process.cpuUsage(this.harnessCpu);
    cpuCores.harness = round((used.user + used.system) / 1e6 / wall);
    rssMiB.harness = Math.round(process.memoryUsage().rss / 2 ** 20);
    for (const p of this.processes) {
      const s = p.stats();
      cpuCores[p.name] = round((s.cpuSeconds - (this.startCpu.get(p.name) ?? 0)) / wall);
      rssMiB[p.name] = Math.round(s.rssBytes / 2 ** 20);
    }
    for (const [name, pid] of Object.entries(this.others)) {
      const id = pid();
      const s = id ? readProcessStats(id) : undefined;
      if (!s) continue;
      cpuCores[name] = round((s.cpuSeconds - (this.startCpu.get(name) ?? 0)) / wall);
      rssMiB[name] = Math.round(s.rssBytes / 2 ** 20);
    }
    return {
      wallSeconds: round(wall),
      cpuCores,
      rssMiB,
      harnessEventLoopP99Ms: round(this.loop.percentile(99) / 1e6),
      loadAverage1m: Number(os.loadavg()[0]!.toFixed(2)),
    };
  }
}

function round(n: number): number {
  return Number(n.toFixed(2));
}
