import { type SupportConversations } from '../bot/bot-deps';
import { inSpan, SpanKind } from './spans';

/**
 * The bot's end of a message's trace: a span per Discord message or button routed to a conversation, with the ids
 * an operator searches by. Temporal's client span (the signal) and all that follows are its children.
 */
export function tracedConversations(conversations: SupportConversations): SupportConversations {
  return {
    ...conversations,
    userMessage: (input, event) =>
      inSpan(
        'discord message',
        {
          kind: SpanKind.CONSUMER,
          attributes: {
            'discord.message_id': event.eventId,
            'discord.user_id': input.user.userId,
            'discord.guild_id': input.user.guildId,
          },
        },
        () => conversations.userMessage(input, event),
      ),
    action: (workflowId, action) =>
      inSpan(
        `discord ${action.signal}`,
        { kind: SpanKind.CONSUMER, attributes: { temporalWorkflowId: workflowId } },
        () => conversations.action(workflowId, action),
      ),
  };
}
