import {
  ChannelType,
  InteractionResponseType,
  MessageFlags,
  PermissionFlagsBits,
} from 'discord-api-types/v10';
import { type UserBlock } from '../../moderation/block-list';
import { type CaseSummary } from '../../shared/case-types';
import { supportWorkflowId } from '../../shared/support-types';
import { type FakeInteraction, type FakeMessage } from '../discord';
import { type FakeChannel } from '../discord/model';
import { type SandboxWorld } from '../world';

/*
 * What the playground page shows, computed from the fakes' state: each Discord person's view (the channels they
 * can see, their DM, their private threads, the ephemeral answers only they see, a modal waiting for them), the
 * Flex desk (tasks with the attributes flexcord routed them with, conversations), and the staff's case list and
 * blocked members as flexcord's API returns them.
 */

export interface MessageView {
  id: string;
  channelId: string;
  author: { id: string; name: string; bot: boolean };
  content: string;
  embeds: {
    title?: string;
    description?: string;
    url?: string;
    author?: string;
    fields: { name: string; value: string }[];
  }[];
  buttons: { customId: string; label: string; style: number; disabled: boolean }[];
  attachments: { name: string; url: string }[];
  at: string;
  /** The author changed it after sending (Discord shows "(edited)"). */
  edited: boolean;
  ephemeral: boolean;
}

export interface ChannelView {
  id: string;
  name: string;
  kind: 'text' | 'announcement' | 'thread' | 'dm';
  messages: MessageView[];
}

export interface ModalView {
  interactionId: string;
  channelId: string;
  customId: string;
  title: string;
  fields: { id: string; label: string; paragraph: boolean; required: boolean; maxLength?: number }[];
}

export interface PersonView {
  id: string;
  name: string;
  staff: boolean;
  /** Their Discord client's language, which Discord sends with their interactions. */
  locale: string;
  channels: ChannelView[];
  modal?: ModalView;
  /** The person's support conversation in the Temporal Web UI. */
  conversationUrl: string;
}

export interface TaskView {
  sid: string;
  status: string;
  priority: number;
  caseNumber?: number;
  summary?: string;
  excerpt?: string;
  customer?: string;
  conversationSid: string;
  /** The agent on this task, once one accepted. */
  agent?: string;
  /** The user's language, as flexcord put it in the attributes for routing by language skill. */
  language?: string;
  /** The newest staff notes on the user's cases, as flexcord put them in the attributes. */
  staffNotes: { caseNumber: number; author: string; at: string; text: string }[];
  createdAt: string;
  workflowUrl?: string;
}

export interface ConversationView {
  sid: string;
  state: string;
  friendlyName: string | null;
  messages: {
    sid: string;
    author: string;
    body: string;
    at: string;
    edited: boolean;
    media: { name: string; url: string }[];
  }[];
}

/** What the staff view reads through flexcord's API (`/api/cases`, `/api/blocks`), with what failed. */
export interface StaffReads {
  cases: CaseSummary[];
  casesError?: string;
  blocks: UserBlock[];
  blocksError?: string;
}

export interface PlaygroundState {
  revision: string;
  guild: { id: string; name: string };
  temporalUiUrl: string;
  people: PersonView[];
  agents: { identity: string; name: string }[];
  tasks: TaskView[];
  conversations: ConversationView[];
  cases: (CaseSummary & { workflowUrl?: string })[];
  casesError?: string;
  /** Members blocked from support, with their names when the sandbox knows them. */
  blocks: (UserBlock & { userName?: string })[];
  blocksError?: string;
  feed: { title: string; publishedAt: string }[];
}

export function workflowUrl(temporalUiUrl: string, namespace: string, workflowId: string): string {
  return `${temporalUiUrl}/namespaces/${encodeURIComponent(namespace)}/workflows/${encodeURIComponent(workflowId)}`;
}

export function buildState(
  world: SandboxWorld,
  ui: { url: string; namespace: string },
  staff: StaffReads,
): PlaygroundState {
  const { twilio, cast } = world;
  const link = (id: string) => workflowUrl(ui.url, ui.namespace, id);
  const people = [
    { id: cast.memberId, staff: false },
    { id: cast.staffId, staff: true },
  ].map(({ id, staff }) => personView(world, id, staff, link(supportWorkflowId(cast.guildId, id))));

  const tasks: TaskView[] = [...twilio.tasks.values()].map((t) => {
    const a = t.attributes;
    const conversationSid = String(a.conversationSid ?? '');
    const channel = twilio.channelFor(conversationSid);
    const agent = channel?.participants.find((p) => p.type === 'agent' && p.taskSid === t.sid)?.identity;
    const workflowId = typeof a.flexcordWorkflowId === 'string' ? a.flexcordWorkflowId : undefined;
    return {
      sid: t.sid,
      status: t.status,
      priority: t.priority,
      caseNumber: typeof a.caseNumber === 'number' ? a.caseNumber : undefined,
      summary: text(a.summary),
      excerpt: text(a.transcriptExcerpt) ?? text(a.transcript),
      customer: text(a.customerName) ?? text(a.name),
      conversationSid,
      agent,
      language: typeof a.language === 'string' ? a.language : undefined,
      staffNotes: Array.isArray(a.staffNotes) ? (a.staffNotes as TaskView['staffNotes']) : [],
      createdAt: t.createdAt.toISOString(),
      workflowUrl: workflowId ? link(workflowId) : undefined,
    };
  });
  tasks.sort((x, y) => y.createdAt.localeCompare(x.createdAt));

  const conversations: ConversationView[] = [...twilio.conversations.values()].map((c) => ({
    sid: c.sid,
    state: c.state,
    friendlyName: c.friendlyName,
    messages: c.messages.map((m) => ({
      sid: m.sid,
      author: m.author,
      body: m.body ?? '',
      at: m.createdAt.toISOString(),
      edited: m.updatedAt !== undefined && m.updatedAt.getTime() > m.createdAt.getTime(),
      media: twilio.mediaOf(m.sid).map((f) => ({
        name: f.filename,
        url: `/sandbox/api/agent/media/${f.sid}`,
      })),
    })),
  }));

  return {
    revision: world.revision(),
    guild: { id: cast.guildId, name: cast.guildName },
    temporalUiUrl: ui.url,
    people,
    agents: cast.agents,
    tasks,
    conversations,
    cases: staff.cases.map((c) => ({ ...c, workflowUrl: c.workflowId ? link(c.workflowId) : undefined })),
    ...(staff.casesError ? { casesError: staff.casesError } : {}),
    blocks: staff.blocks.map((b) => ({ ...b, userName: world.discord.users.get(b.userId)?.username })),
    ...(staff.blocksError ? { blocksError: staff.blocksError } : {}),
    feed: world.feedItems.map((f) => ({ title: f.title, publishedAt: f.publishedAt })),
  };
}

function text(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (Array.isArray(value))
    return value.map((v) => (typeof v === 'string' ? v : JSON.stringify(v))).join('\n');
  return undefined;
}

function personView(
  world: SandboxWorld,
  userId: string,
  staff: boolean,
  conversationUrl: string,
): PersonView {
  const { discord, cast } = world;
  const user = discord.users.get(userId)!;
  const guild = discord.guilds.get(cast.guildId)!;
  const roles = guild.members.get(userId)?.roles ?? [];
  const visible = [...discord.channels.values()].filter((c) => canSee(c, userId, roles, cast.guildId, staff));
  const order = (c: FakeChannel) => (c.type === ChannelType.DM ? 2 : c.parentId && isThread(c) ? 1 : 0);
  visible.sort((a, b) => order(a) - order(b) || a.position - b.position || a.id.localeCompare(b.id));
  const mine = [...discord.interactions.values()].filter((i) => i.userId === userId);

  const channels: ChannelView[] = visible.map((c) => {
    const stored = discord.messagesIn(c.id).map((m) => messageView(m, false));
    const ephemeral = mine
      .filter((i) => i.channelId === c.id)
      .flatMap((i) => [i.original, ...i.followUps])
      .filter((m): m is FakeMessage => !!m && ((m.flags ?? 0) & MessageFlags.Ephemeral) !== 0)
      .map((m) => messageView(m, true));
    const messages = [...stored, ...ephemeral].sort((a, b) => compareIds(a.id, b.id));
    return { id: c.id, name: channelName(world, c), kind: kindOf(c), messages };
  });

  // The newest modal the bot showed this person that they have not submitted yet.
  const modalAnswer = mine
    .filter((i) => i.callback?.type === InteractionResponseType.Modal)
    .sort((a, b) => b.dispatchedAt - a.dispatchedAt)[0];
  const submitted = modalAnswer
    ? mine.some((i) => i.type === 5 && i.dispatchedAt >= modalAnswer.dispatchedAt)
    : true;
  return {
    id: userId,
    name: user.username,
    staff,
    locale: user.locale ?? 'en-US',
    channels,
    ...(modalAnswer && !submitted ? { modal: modalView(modalAnswer) } : {}),
    conversationUrl,
  };
}

function modalView(i: FakeInteraction): ModalView {
  const data = (i.callback?.data ?? {}) as {
    custom_id?: string;
    title?: string;
    components?: {
      type: number;
      label?: string;
      component?: { custom_id: string; style?: number; required?: boolean; max_length?: number };
      components?: {
        custom_id: string;
        label?: string;
        style?: number;
        required?: boolean;
        max_length?: number;
      }[];
    }[];
  };
  const fields: ModalView['fields'] = [];
  for (const row of data.components ?? []) {
    // Current modals wrap each input in a Label (type 18); older ones used action rows.
    const inputs = row.component ? [{ ...row.component, label: row.label }] : (row.components ?? []);
    for (const input of inputs) {
      fields.push({
        id: input.custom_id,
        label: input.label ?? input.custom_id,
        paragraph: input.style === 2,
        required: input.required ?? true,
        ...(input.max_length ? { maxLength: input.max_length } : {}),
      });
    }
  }
  return {
    interactionId: i.id,
    channelId: i.channelId,
    customId: data.custom_id ?? '',
    title: data.title ?? '',
    fields,
  };
}

function messageView(m: FakeMessage, ephemeral: boolean): MessageView {
  const buttons: MessageView['buttons'] = [];
  const visit = (c: unknown) => {
    if (!c || typeof c !== 'object') return;
    const rec = c as {
      type?: number;
      custom_id?: string;
      label?: string;
      style?: number;
      disabled?: boolean;
      components?: unknown[];
    };
    if (rec.type === 2 && rec.custom_id)
      buttons.push({
        customId: rec.custom_id,
        label: rec.label ?? rec.custom_id,
        style: rec.style ?? 2,
        disabled: rec.disabled ?? false,
      });
    rec.components?.forEach(visit);
  };
  (m.components ?? []).forEach(visit);
  return {
    id: m.id,
    channelId: m.channel_id,
    author: { id: m.author.id, name: m.author.global_name ?? m.author.username, bot: m.author.bot ?? false },
    content: m.content ?? '',
    embeds: (m.embeds ?? []).map((e) => ({
      title: e.title,
      description: e.description,
      url: e.url,
      author: e.author?.name,
      fields: (e.fields ?? []).map((f) => ({ name: f.name, value: f.value })),
    })),
    buttons,
    attachments: (m.attachments ?? []).map((a) => ({ name: a.filename, url: a.url })),
    at: m.timestamp,
    edited: !!m.edited_timestamp,
    ephemeral,
  };
}

function isThread(c: FakeChannel): boolean {
  return c.type === ChannelType.PrivateThread || c.type === ChannelType.PublicThread;
}

function kindOf(c: FakeChannel): ChannelView['kind'] {
  if (c.type === ChannelType.DM) return 'dm';
  if (isThread(c)) return 'thread';
  return c.type === ChannelType.GuildAnnouncement ? 'announcement' : 'text';
}

function channelName(world: SandboxWorld, c: FakeChannel): string {
  if (c.type === ChannelType.DM) return `DM with ${world.discord.botUser.username}`;
  return c.name ?? c.id;
}

/**
 * Discord's visibility, as far as the sandbox's channels need it: a role overwrite on @everyone that denies View
 * Channel hides it unless an overwrite for the member or one of their roles allows it; private threads show to
 * their members (and to staff, who may manage them); a DM only to its recipient.
 */
function canSee(c: FakeChannel, userId: string, roles: string[], guildId: string, staff: boolean): boolean {
  if (c.type === ChannelType.DM) return c.recipientId === userId;
  if (c.guildId !== guildId) return false;
  if (c.type === ChannelType.PrivateThread) return c.threadMembers.has(userId) || staff;
  const view = PermissionFlagsBits.ViewChannel;
  const everyone = c.overwrites.find((o) => o.id === guildId);
  if (!everyone || (BigInt(everyone.deny) & view) === 0n) return true;
  return c.overwrites.some(
    (o) => (o.id === userId || roles.includes(o.id)) && (BigInt(o.allow) & view) !== 0n,
  );
}

function compareIds(a: string, b: string): number {
  const x = BigInt(a);
  const y = BigInt(b);
  return x < y ? -1 : x > y ? 1 : 0;
}
