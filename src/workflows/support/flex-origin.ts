import type { FlexEventOrigin } from '../../shared/support-types';
import type { CarriedState } from './state';

/**
 * Why a Flex event belongs to another handoff than the conversation's current one, or undefined when it is this
 * handoff's (or names nothing to compare). A close or join names its Twilio conversation and, from TaskRouter, its
 * interaction channel; after a close the conversation starts afresh without either, so everything from the old
 * handoff (a task.completed at the end of a long wrap-up, say) names something that is no longer current.
 */
export function foreignHandoff(
  origin: FlexEventOrigin,
  state: Pick<CarriedState, 'flexConversation' | 'handoff'>,
): string | undefined {
  const conversation = state.flexConversation?.conversationSid;
  if (origin.conversationSid !== undefined && origin.conversationSid !== conversation)
    return `conversation ${origin.conversationSid} is not the current one (${conversation ?? 'none'})`;
  const channel = state.handoff?.channelSid;
  if (origin.channelSid !== undefined && origin.channelSid !== channel)
    return `interaction channel ${origin.channelSid} is not the current one (${channel ?? 'none'})`;
  return undefined;
}
