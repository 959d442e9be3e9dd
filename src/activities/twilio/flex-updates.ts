import { type Twilio } from 'twilio';
import { type MediaLinker, agentMessageContent } from '../../media/message-media';
import { type FlexAgentMessage, type FlexUpdates } from './port';
import { isCustomerIdentity, participantDisplayName, readableAgentName } from './identity';

type ConversationContext = ReturnType<Twilio['conversations']['v1']['conversations']>;
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
  const participants = await conversation.participants.list({ pageSize: PAGE_SIZE });
  const names = new Map<string, string>();
  const agents: FlexUpdates['agents'] = [];
  for (const p of participants) {
    // Participants without an identity are SMS/WhatsApp bindings: not agents.
    if (!p.identity || isCustomerIdentity(p.identity)) continue;
    const name = participantDisplayName(p.attributes) ?? readableAgentName(p.identity);
    names.set(p.identity, name);
    agents.push({ identity: p.identity, name, participantSid: p.sid });
  }

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
        agentName: names.get(m.author) ?? readableAgentName(m.author),
        text,
        attachments,
        sentAt: (m.dateCreated ?? new Date()).toISOString(),
      });
    }
    page = await page.nextPage();
  }

  return {
    messages: newestFirst.reverse(),
    agents,
    // A conversation still `initializing` is as good as active here.
    state: current.state === 'initializing' ? 'active' : current.state,
    lastMessageIndex,
  };
}
