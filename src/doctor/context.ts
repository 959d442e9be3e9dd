import { type Config } from '../config';

/** What every check gets: the configuration and how long a service may take to answer. */
export interface DoctorContext {
  config: Config;
  /** Per check: an unreachable service fails within this. */
  timeoutMs: number;
  /** How long the self-test workflow may wait for a worker (a busy worker may take longer than one call). */
  workerTimeoutMs: number;
}
