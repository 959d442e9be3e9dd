import { z } from 'zod';
import { isCustomerIdentity, readableAgentName } from '../../activities/twilio/identity';
import { type AgentEvent } from '../../temporal/support-client';
import { type MediaLinker, agentMessageContent } from '../../media/message-media';

/*
 * Conversations post-event webhooks (form-encoded; field names from Twilio's Conversations webhook reference).
 * Unknown parameters are allowed: Twilio adds fields over time, and they are part of the signature anyway.
 */

const sid = (prefix: string) => z.string().regex(new RegExp(`^${prefix}[0-9a-fA-F]{32}$`));
const jsonText = z.string().optional();

export const conversationEventSchema = z.discriminatedUnion('EventType', [
  z.looseObject({
    EventType: z.literal('onMessageAdded'),
    ConversationSid: sid('CH'),
    MessageSid: sid('IM'),
    // Twilio sends it with every Conversations event; optional so a missing one only costs the media links.
    ChatServiceSid: sid('IS').optional(),
    Author: z.string().default(''),
    Body: z.string().default(''),
    DateCreated: z.string().optional(),
    // Optional like ChatServiceSid: a missing one only costs the check for an earlier lost message.
    Index: z.coerce.number().int().nonnegative().optional(),
    Attributes: jsonText,
    Media: jsonText,
  }),
  z.looseObject({
    EventType: z.literal('onParticipantAdded'),
    ConversationSid: sid('CH'),
    ParticipantSid: sid('MB'),
    Identity: z.string().optional(),
    Attributes: jsonText,
  }),
  z.looseObject({
    EventType: z.literal('onMessageUpdated'),
    ConversationSid: sid('CH'),
    MessageSid: sid('IM'),
    ChatServiceSid: sid('IS').optional(),
    Author: z.string().default(''),
    Body: z.string().default(''),
    DateUpdated: z.string().optional(),
    Media: jsonText,
  }),
  z.looseObject({
    EventType: z.literal('onMessageRemoved'),
    ConversationSid: sid('CH'),
    MessageSid: sid('IM'),
    Author: z.string().default(''),
  }),
  z.looseObject({
    EventType: z.literal('onConversationStateUpdated'),
    ConversationSid: sid('CH'),
    StateTo: z.string(),
    StateFrom: z.string().optional(),
    Reason: z.string().optional(),
  }),
]);

/** Event types flexcord does not subscribe to but may receive from a service-level webhook. */
const eventTypeOnly = z.looseObject({ EventType: z.string().min(1), ConversationSid: sid('CH').optional() });

export type ConversationEvent = z.infer<typeof conversationEventSchema>;

export type { MediaLinker } from '../../media/message-media';

export type Mapped =
  { kind: 'signal'; dedupeKey: string; event: AgentEvent } | { kind: 'ignore'; reason: string };

/**
 * What a Conversations event means for the support workflow. `agentNames` supplies display names learnt when
 * agents joined (TaskRouter knows the worker's full name; the message webhook only has the identity).
 * `mediaLink` turns agent attachments into links; without it (or without the service sid) they are named only.
 */
export function mapConversationEvent(
  event: ConversationEvent,
  agentNames: { get(key: string): string | undefined },
  mediaLink?: MediaLinker,
): Mapped {
  switch (event.EventType) {
    case 'onMessageAdded': {
      // Our own posts of the customer's Discord messages come back here: never relay them to Discord.
      if (!event.Author || isCustomerIdentity(event.Author))
        return { kind: 'ignore', reason: 'customer_echo' };
      const { text, attachments } = agentMessageContent(
        event.Body,
        event.Media,
        event.ChatServiceSid,
        mediaLink,
      );
      return {
        kind: 'signal',
        dedupeKey: `message:${event.MessageSid}`,
        event: {
          kind: 'message',
          eventId: event.MessageSid,
          agentIdentity: event.Author,
          agentName:
            agentNames.get(nameKey(event.ConversationSid, event.Author)) ?? readableAgentName(event.Author),
          text,
          attachments,
          sentAt: normaliseDate(event.DateCreated),
          ...(event.Index !== undefined ? { index: event.Index } : {}),
        },
      };
    }
    case 'onMessageUpdated': {
      // Our own edits of the customer's messages come back here too.
      if (!event.Author || isCustomerIdentity(event.Author))
        return { kind: 'ignore', reason: 'customer_echo' };
      const { text, attachments } = agentMessageContent(
        event.Body,
        event.Media,
        event.ChatServiceSid,
        mediaLink,
      );
      const editedAt = normaliseDate(event.DateUpdated);
      return {
        kind: 'signal',
        // One event per edit: the same message may be edited several times.
        dedupeKey: `updated:${event.MessageSid}:${editedAt}`,
        event: {
          kind: 'edited',
          eventId: `${event.MessageSid}:updated:${editedAt}`,
          messageSid: event.MessageSid,
          agentIdentity: event.Author,
          agentName:
            agentNames.get(nameKey(event.ConversationSid, event.Author)) ?? readableAgentName(event.Author),
          text,
          attachments,
          editedAt,
          conversationSid: event.ConversationSid,
        },
      };
    }
    case 'onMessageRemoved': {
      if (!event.Author || isCustomerIdentity(event.Author))
        return { kind: 'ignore', reason: 'customer_echo' };
      return {
        kind: 'signal',
        dedupeKey: `removed:${event.MessageSid}`,
        event: {
          kind: 'removed',
          eventId: `${event.MessageSid}:removed`,
          messageSid: event.MessageSid,
          agentIdentity: event.Author,
          conversationSid: event.ConversationSid,
        },
      };
    }
    case 'onParticipantAdded': {
      if (!event.Identity) return { kind: 'ignore', reason: 'non_chat_participant' };
      if (isCustomerIdentity(event.Identity)) return { kind: 'ignore', reason: 'customer_joined' };
      return {
        kind: 'signal',
        dedupeKey: `participant:${event.ParticipantSid}`,
        event: {
          kind: 'joined',
          eventId: event.ParticipantSid,
          agentIdentity: event.Identity,
          // TaskRouter's reservation.accepted may have arrived first with the worker's full name.
          agentName:
            displayName(event.Attributes) ??
            agentNames.get(nameKey(event.ConversationSid, event.Identity)) ??
            readableAgentName(event.Identity),
          conversationSid: event.ConversationSid,
        },
      };
    }
    case 'onConversationStateUpdated': {
      if (event.StateTo !== 'closed') return { kind: 'ignore', reason: `state_${event.StateTo}` };
      return {
        kind: 'signal',
        // A conversation closes once: its sid identifies the event.
        dedupeKey: `closed:${event.ConversationSid}`,
        event: {
          kind: 'closed',
          eventId: `${event.ConversationSid}:closed`,
          reason: 'agent_closed',
          conversationSid: event.ConversationSid,
        },
      };
    }
  }
}

/** Parses a webhook body: a known event, an event type we ignore, or invalid (400). */
export function parseConversationEvent(
  body: unknown,
): { ok: true; event: ConversationEvent } | { ok: true; ignored: string } | { ok: false; error: string } {
  const parsed = conversationEventSchema.safeParse(body);
  if (parsed.success) return { ok: true, event: parsed.data };
  const other = eventTypeOnly.safeParse(body);
  if (
    other.success &&
    ![
      'onMessageAdded',
      'onMessageUpdated',
      'onMessageRemoved',
      'onParticipantAdded',
      'onConversationStateUpdated',
    ].includes(other.data.EventType)
  ) {
    return { ok: true, ignored: other.data.EventType };
  }
  return {
    ok: false,
    error: parsed.error.issues.map((i) => `${i.path.join('.') || '(body)'}: ${i.message}`).join('; '),
  };
}

export function nameKey(conversationSid: string, identity: string): string {
  return `${conversationSid}|${identity}`;
}

function displayName(attributes: string | undefined): string | undefined {
  const parsed = parseJson(attributes);
  for (const key of ['friendlyName', 'friendly_name', 'full_name', 'name']) {
    const value = parsed[key];
    if (typeof value === 'string' && value.trim()) return value.trim();
  }
  return undefined;
}

function parseJson(text: string | undefined): Record<string, unknown> {
  if (!text) return {};
  try {
    const parsed: unknown = JSON.parse(text);
    return parsed && typeof parsed === 'object' ? (parsed as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

function normaliseDate(value: string | undefined): string {
  const time = value ? Date.parse(value) : NaN;
  return Number.isNaN(time) ? new Date().toISOString() : new Date(time).toISOString();
}
