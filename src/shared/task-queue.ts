/** The default task queue; TEMPORAL_TASK_QUEUE overrides it for every role alike. */
export const DEFAULT_TASK_QUEUE = 'flexcord';
