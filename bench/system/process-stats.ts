import fs from 'node:fs';
import os from 'node:os';

export interface ProcessStats {
  /** User plus system CPU time. */
  cpuSeconds: number;
  rssBytes: number;
  /** VmHWM: the highest resident set size the process reached. */
  peakRssBytes: number;
}

/** Linux clock ticks per second (USER_HZ); 100 on every mainstream kernel configuration. */
const TICKS_PER_SECOND = 100;

/** CPU time and memory of a process from /proc (Linux only; undefined when it is gone). */
export function readProcessStats(pid: number): ProcessStats | undefined {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) may contain spaces; the fields after its closing parenthesis are fixed.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const utime = Number(fields[11]);
    const stime = Number(fields[12]);
    const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = (key: string) =>
      Number(new RegExp(`^${key}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? 0) * 1024;
    return {
      cpuSeconds: (utime + stime) / TICKS_PER_SECOND,
      rssBytes: kb('VmRSS'),
      peakRssBytes: kb('VmHWM'),
    };
  } catch {
    return undefined;
  }
}

/** The machine's 1-minute load average and core count, for the report. */
export function machineLoad(): { loadAverage1m: number; cores: number } {
  return { loadAverage1m: Number(os.loadavg()[0]!.toFixed(2)), cores: os.cpus().length };
}
