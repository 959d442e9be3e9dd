import { type Client, WithStartWorkflowOperation, WorkflowNotFoundError } from '@temporalio/client';
import {
  agentJoinedSignal,
  agentMessageSignal,
  conversationStateQuery,
  flexClosedSignal,
  openConversationUpdate,
  ratingSignal,
  requestHumanSignal,
  SUPPORT_WORKFLOW_TYPE,
  userCloseSignal,
  userMessageSignal,
} from '../shared/support-messages';
import {
  agentMessageEditedSignal,
  agentMessageRemovedSignal,
  type AgentMessageEditedEvent,
  type AgentMessageRemovedEvent,
  userMessageDeletedSignal,
  type UserMessageDeletedEvent,
  userMessageEditedSignal,
  type UserMessageEditedEvent,
} from '../shared/message-changes';
import {
  type AgentJoinedEvent,
  type AgentMessageEvent,
  type ConversationState,
  type FlexClosedEvent,
  type OpenConversationResult,
  type RatingEvent,
  type StartSupportInput,
  supportWorkflowId,
  type UserActionEvent,
  type UserMessageEvent,
} from '../shared/support-types';

/*
 * How the bot and the webhooks talk to support conversations. They import these helpers, never workflow code.
 * One conversation per Discord user per guild: the workflow id comes from `supportWorkflowId`, and starting calls
 * reuse a running conversation (WorkflowIdConflictPolicy USE_EXISTING) instead of failing or starting a second one.
 */

/** No conversation is running under that workflow id (never started, or already finished). */
export class ConversationNotFoundError extends Error {
  override name = 'ConversationNotFoundError';
  constructor(readonly workflowId: string) {
    super(`no support conversation is running with id ${workflowId}`);
  }
}

/** `/helpme`: starts the user's conversation or finds the running one, and says where it lives. */
export async function openSupportConversation(
  client: Client,
  options: { taskQueue: string; input: StartSupportInput },
): Promise<OpenConversationResult> {
  const { input, taskQueue } = options;
  const startWorkflowOperation = new WithStartWorkflowOperation(SUPPORT_WORKFLOW_TYPE, {
    workflowId: supportWorkflowId(input.user.guildId, input.user.userId),
    taskQueue,
    args: [input],
    workflowIdConflictPolicy: 'USE_EXISTING',
  });
  return client.workflow.executeUpdateWithStart(openConversationUpdate, {
    args: [input],
    startWorkflowOperation,
  });
}

/** A message the user wrote in their support DM or thread; starts a conversation when none is running. */
export async function sendUserMessage(
  client: Client,
  options: { taskQueue: string; input: StartSupportInput; event: UserMessageEvent },
): Promise<{ workflowId: string }> {
  const { input, taskQueue, event } = options;
  const workflowId = supportWorkflowId(input.user.guildId, input.user.userId);
  await client.workflow.signalWithStart(SUPPORT_WORKFLOW_TYPE, {
    workflowId,
    taskQueue,
    args: [input],
    signal: userMessageSignal,
    signalArgs: [event],
    workflowIdConflictPolicy: 'USE_EXISTING',
  });
  return { workflowId };
}

export type UserActionSignal =
  | { signal: 'requestHuman'; event: UserActionEvent }
  | { signal: 'userClose'; event: UserActionEvent }
  | { signal: 'rating'; event: RatingEvent };

/** A button press or slash command aimed at a running conversation. */
export async function sendUserAction(
  client: Client,
  options: { workflowId: string } & UserActionSignal,
): Promise<void> {
  const handle = client.workflow.getHandle(options.workflowId);
  await notFoundAsConversationError(options.workflowId, () => {
    switch (options.signal) {
      case 'requestHuman':
        return handle.signal(requestHumanSignal, options.event);
      case 'userClose':
        return handle.signal(userCloseSignal, options.event);
      case 'rating':
        return handle.signal(ratingSignal, options.event);
    }
  });
}

export type AgentEvent =
  | ({ kind: 'joined' } & AgentJoinedEvent)
  | ({ kind: 'message' } & AgentMessageEvent)
  | ({ kind: 'closed' } & FlexClosedEvent)
  | ({ kind: 'edited' } & AgentMessageEditedEvent)
  | ({ kind: 'removed' } & AgentMessageRemovedEvent);

/** Twilio webhooks: an agent joined, wrote, or the Flex side ended. */
export async function signalAgentEvent(
  client: Client,
  options: { workflowId: string; event: AgentEvent },
): Promise<void> {
  const handle = client.workflow.getHandle(options.workflowId);
  await notFoundAsConversationError(options.workflowId, () => {
    const { kind, ...event } = options.event;
    switch (kind) {
      case 'joined':
        return handle.signal(agentJoinedSignal, event as AgentJoinedEvent);
      case 'message':
        return handle.signal(agentMessageSignal, event as AgentMessageEvent);
      case 'closed':
        return handle.signal(flexClosedSignal, event as FlexClosedEvent);
      case 'edited':
        return handle.signal(agentMessageEditedSignal, event as AgentMessageEditedEvent);
      case 'removed':
        return handle.signal(agentMessageRemovedSignal, event as AgentMessageRemovedEvent);
    }
  });
}

export type UserMessageChange =
  { kind: 'edited'; event: UserMessageEditedEvent } | { kind: 'deleted'; event: UserMessageDeletedEvent };

/** A user edited or deleted a message in their support DM or thread; a conversation that is not running ignores it. */
export async function sendUserMessageChange(
  client: Client,
  options: { workflowId: string; change: UserMessageChange },
): Promise<void> {
  const handle = client.workflow.getHandle(options.workflowId);
  await notFoundAsConversationError(options.workflowId, () =>
    options.change.kind === 'edited'
      ? handle.signal(userMessageEditedSignal, options.change.event)
      : handle.signal(userMessageDeletedSignal, options.change.event),
  );
}

/** The conversation's phase, channel, case and agent, as the workflow sees them now. */
export async function getConversationState(client: Client, workflowId: string): Promise<ConversationState> {
  return notFoundAsConversationError(workflowId, () =>
    client.workflow.getHandle(workflowId).query(conversationStateQuery),
  );
}

async function notFoundAsConversationError<T>(workflowId: string, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (err) {
    if (err instanceof WorkflowNotFoundError) throw new ConversationNotFoundError(workflowId);
    throw err;
  }
}
