// The worker's workflow entry point: every workflow type the worker serves is exported here.
export { selfTestWorkflow } from './self-test';
export { supportConversationWorkflow } from './support/workflow';
export { reportWorkflow } from './reports/report-workflow';
export { feedRelayWorkflow } from './feeds/feed-relay-workflow';
