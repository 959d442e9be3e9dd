import { createAnalyticsActivities, type AnalyticsDeps } from './analytics/activities';
import { createCaseActivities, type CaseActivityDeps } from './cases/activities';
import { createDiagnosticsActivities, type DiagnosticsDeps } from './diagnostics';
import { createDiscordActivities, type DiscordDeps } from './discord/activities';
import { createFeedActivities, type FeedActivityDeps } from './feeds/activities';
import { createKbActivities, type KbDeps } from './kb/activities';
import { createCustomerMediaActivities, type CustomerMediaDeps } from './media/activities';
import { createFlexRevisionActivities, type FlexRevisionsDeps } from './revisions/flex-revisions';
import { createTwilioActivities } from './twilio/activities';
import { type FlexPort } from './twilio/port';

/**
 * Everything the worker's activities need, built once from config by the entry point (src/app/dependencies.ts)
 * and replaced by fakes in tests.
 */
export type ActivityDeps = DiagnosticsDeps &
  DiscordDeps & { flex: FlexPort } & CaseActivityDeps &
  KbDeps &
  CustomerMediaDeps &
  FlexRevisionsDeps &
  AnalyticsDeps &
  Omit<FeedActivityDeps, 'discord'>;

/** All activities the worker registers. Workflows see them only as types, through proxyActivities. */
export function createActivities(deps: ActivityDeps) {
  return {
    ...createDiagnosticsActivities(deps),
    ...createCaseActivities(deps),
    ...createDiscordActivities(deps.discord),
    ...createTwilioActivities(deps.flex),
    ...createKbActivities(deps),
    ...createCustomerMediaActivities(deps),
    ...createFlexRevisionActivities(deps),
    ...createAnalyticsActivities(deps),
    ...createFeedActivities(deps),
  };
}

export type Activities = ReturnType<typeof createActivities>;
