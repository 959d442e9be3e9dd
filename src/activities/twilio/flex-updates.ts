import { type Twilio } from 'twilio';
import { type MediaLinker, agentMessageContent } from '../../media/message-media';
import { type FlexAgentMessage, type FlexUpdates } from './port';
import { isCustomerIdentity, participantDisplayName, readableAgentName } from './identity';

type ConversationContext = ReturnType<Twilio['conversations']['v1']['conversations']>;
type ConversationInstance = Awaited<ReturnType<ConversationContext['fetch']>>;
type MessageInstance = Awaited<ReturnType<ConversationContext['messages']['list']>>[number];
/** The part of twilio-node's Page used here (its next page has a looser declared type than the first). */
interface MessagesPage {
  instances: MessageInstance[];
  nextPage(): Promise<MessagesPage> | undefined;
}

const PAGE_SIZE = 50;
/**
 * How far back one call reads when it has no cursor or the cursor is far behind. The workflow asks every minute,
 * and the webhooks deliver most messages anyway; older ones beyond this are not looked for again.
 */
const MAX_MESSAGES_PER_CALL = 1000;

/**
 * Reads what the conversation's webhooks would have said: agent messages after a cursor, agents present, state.
 * Newest first, page by page, stopping at the cursor, so a long conversation costs one page per call.
 */
export async function readFlexUpdates(
  conversation: ConversationContext,
  afterMessageIndex: number | undefined,
  mediaLink?: MediaLinker,
): Promise<FlexUpdates> {
  const current = await conversation.fetch();
  const agents = await readAgents(conversation);
  const { messages, lastMessageIndex } = await readAgentMessages(
    conversation,
    afterMessageIndex,
    current,
    mediaLink,
  );
  return { messages: named(messages, agents), agents, state: stateOf(current), lastMessageIndex };
}

/** The conversation itself: its state (and the Conversations service its media lives in). */
export async function readConversation(conversation: ConversationContext): Promise<ConversationInstance> {
  return conversation.fetch();
}

/** Everyone in the conversation but the customer (participants without an identity are SMS/WhatsApp bindings). */
export async function readAgents(conversation: ConversationContext): Promise<FlexUpdates['agents']> {
  const participants = await conversation.participants.list({ pageSize: PAGE_SIZE });
  const agents: FlexUpdates['agents'] = [];
  for (const p of participants) {
    if (!p.identity || isCustomerIdentity(p.identity)) continue;
    const name = participantDisplayName(p.attributes) ?? readableAgentName(p.identity);
    agents.push({ identity: p.identity, name, participantSid: p.sid });
  }
  return agents;
}

/**
 * Messages after the cursor from anyone but the customer, oldest first, named by their identity (see `named`), and
 * the highest index looked at. Newest first, page by page, stopping at the cursor.
 */
export async function readAgentMessages(
  conversation: ConversationContext,
  afterMessageIndex: number | undefined,
  current: Pick<ConversationInstance, 'chatServiceSid'>,
  mediaLink?: MediaLinker,
): Promise<Pick<FlexUpdates, 'messages' | 'lastMessageIndex'>> {
  const newestFirst: FlexAgentMessage[] = [];
  let lastMessageIndex: number | undefined;
  let seen = 0;
  let page: MessagesPage | undefined = await conversation.messages.page({
    order: 'desc',
    pageSize: PAGE_SIZE,
  });
  reading: while (page) {
    for (const m of page.instances) {
      if (afterMessageIndex !== undefined && m.index <= afterMessageIndex) break reading;
      if (seen++ >= MAX_MESSAGES_PER_CALL) break reading;
      lastMessageIndex = Math.max(lastMessageIndex ?? m.index, m.index);
      if (!m.author || isCustomerIdentity(m.author)) continue;
      const { text, attachments } = agentMessageContent(
        m.body,
        m.media as unknown[] | null,
        current.chatServiceSid,
        mediaLink,
      );
      newestFirst.push({
        eventId: m.sid,
        index: m.index,
        agentIdentity: m.author,
        agentName: readableAgentName(m.author),
        text,
        attachments,
        sentAt: (m.dateCreated ?? new Date()).toISOString(),
      });
    }
    page = await page.nextPage();
  }
  return { messages: newestFirst.reverse(), lastMessageIndex };
}

/** Messages named as their author's participant is named, where it was read. */
export function named(messages: FlexAgentMessage[], agents: FlexUpdates['agents']): FlexAgentMessage[] {
  const names = new Map(agents.map((a) => [a.identity, a.name]));
  return messages.map((m) => ({ ...m, agentName: names.get(m.agentIdentity) ?? m.agentName }));
}

/** A conversation still `initializing` is as good as active here. */
export function stateOf(current: Pick<ConversationInstance, 'state'>): FlexUpdates['state'] {
  return current.state === 'initializing' ? 'active' : current.state;
}
