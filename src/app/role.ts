import { type Client } from '@temporalio/client';
import { type Router } from 'express';
import { type Logger } from 'pino';
import { type Config } from '../config';
import { type Observability } from '../observability';
import { type TemporalTarget } from '../temporal/connect';

export const ROLE_NAMES = ['worker', 'bot', 'webhooks'] as const;
export type RoleName = (typeof ROLE_NAMES)[number];

export interface RoleContext {
  config: Config;
  logger: Logger;
  target: TemporalTarget;
  /** Shared Temporal client for roles that signal or start workflows. */
  client: Client;
  /** True when several roles share this process (development); a role may then skip itself instead of failing. */
  sharedProcess: boolean;
  /** Extra routes the webhooks role serves (the offline sandbox's playground); none in production. */
  httpRouters?: { path: string; router: Router }[];
  /** Metrics (and traces) of this process; unset in tests that do not look, where nothing is counted. */
  observability?: Observability;
}

export interface RunningRole {
  name: RoleName;
  /** Resolves when the role stops on its own (e.g. the worker after shutdown), rejects if it crashes. */
  done: Promise<void>;
  stop(): Promise<void>;
}

/** A role either starts, or explains which settings it lacks (MissingSettingsError). */
export type RoleStarter = (ctx: RoleContext) => Promise<RunningRole>;
