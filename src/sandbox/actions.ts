import { type Client } from '@temporalio/client';
import { pollFeedsNow } from '../cli/commands/feeds';
import { type FakeInteraction, type FakeMessage } from './discord';
import { newMessage } from './discord/model';
import { type AttachmentStore, type Upload } from './attachments';
import { type FlexAgent } from './seed';
import { type SandboxWorld } from './world';

export class SandboxActionError extends Error {
  override name = 'SandboxActionError';
}

/**
 * What people do in the sandbox, for the playground page, `flexcord sandbox demo` and the tests alike. Each action
 * goes through the fakes' protocol surface: members act through gateway dispatches (messages, slash commands,
 * modals, buttons), agents through Flex's own behaviour (TaskRouter and Conversations state, signed webhooks).
 * Nothing here calls flexcord's workflows or its code directly.
 */
export class SandboxActions {
  constructor(
    private readonly world: SandboxWorld,
    private readonly attachments: AttachmentStore,
    /** The Temporal client, once the sandbox's server is up (only the feed's poll-now needs it). */
    private readonly client: () => Client,
  ) {}

  // ---- Discord members ----

  /** A member writes in a channel, thread or their DM with the bot, optionally with files. */
  sendMessage(userId: string, channelId: string, text: string, files: Upload[] = []): FakeMessage {
    const { discord } = this.world;
    const user = this.requireUser(userId);
    const channel = discord.requireChannel(channelId);
    if (!text.trim() && files.length === 0) throw new SandboxActionError('write something or attach a file');
    const message = newMessage(channel, user, { content: text });
    message.attachments = files.map((f) => this.attachments.save(channel.id, f));
    discord.addMessage(message);
    return message;
  }

  /**
   * The member edits a message they sent: Discord stores it with an edit time and dispatches MESSAGE_UPDATE, as
   * for an edit in a real client.
   */
  editMessage(userId: string, channelId: string, messageId: string, text: string): FakeMessage {
    const message = this.ownMessage(userId, channelId, messageId);
    if (!text.trim() && (message.attachments ?? []).length === 0)
      throw new SandboxActionError('a message needs text or a file: delete it instead');
    this.world.discord.userEditsMessage(message, text);
    this.world.changed();
    return message;
  }

  /** The member deletes a message they sent: Discord removes it and dispatches MESSAGE_DELETE. */
  deleteMessage(userId: string, channelId: string, messageId: string): void {
    this.world.discord.userDeletesMessage(this.ownMessage(userId, channelId, messageId));
  }

  /**
   * The language of the member's Discord client (User Settings → Language): Discord sends it with each of their
   * interactions as `locale`.
   */
  setLocale(userId: string, locale: string): void {
    this.requireUser(userId).locale = locale;
    this.world.changed();
  }

  /** The member's DM channel with the bot (opened if needed, as Discord does on first contact). */
  dmChannel(userId: string): string {
    this.requireUser(userId);
    return this.world.discord.dmChannelFor(userId).id;
  }

  runCommand(
    userId: string,
    channelId: string,
    name: string,
    options: Record<string, string | number | boolean> = {},
    subcommand?: string,
  ): FakeInteraction {
    this.requireUser(userId);
    return this.world.discord.runSlashCommand(userId, channelId, name, options, subcommand);
  }

  submitModal(userId: string, channelId: string, customId: string, fields: Record<string, string>) {
    this.requireUser(userId);
    return this.world.discord.submitModal(userId, channelId, customId, fields);
  }

  pressButton(userId: string, channelId: string, messageId: string, customId: string): FakeInteraction {
    this.requireUser(userId);
    const message = this.findMessage(channelId, messageId);
    return this.world.discord.pressButton(userId, message, customId);
  }

  // ---- Flex agents ----

  agent(identity: string): FlexAgent {
    const agent = this.world.cast.agents.find((a) => a.identity === identity);
    if (!agent) throw new SandboxActionError(`no agent ${identity}`);
    return agent;
  }

  /** The agent accepts the conversation's waiting task (after a transfer: the invite) and joins the chat. */
  async accept(conversationSid: string, agentIdentity: string): Promise<void> {
    const agent = this.agent(agentIdentity);
    const waiting = this.world.twilio
      .tasksFor(conversationSid)
      .some((t) => t.status === 'pending' || t.status === 'reserved');
    if (!waiting) throw new SandboxActionError('no task of this conversation is waiting for an agent');
    await this.world.twilio.agentAccepts(conversationSid, agent);
  }

  async reply(conversationSid: string, agentIdentity: string, text: string, files: Upload[] = []) {
    this.agent(agentIdentity);
    if (!text.trim() && files.length === 0) throw new SandboxActionError('write something or attach a file');
    return this.world.twilio.agentReplies(conversationSid, text, {
      identity: agentIdentity,
      media: files.map((f) => ({ filename: f.filename, contentType: f.contentType, content: f.content })),
    });
  }

  /** The agent edits a message they sent, in Flex (an SDK action, so onMessageUpdated reaches flexcord). */
  async editReply(conversationSid: string, agentIdentity: string, messageSid: string, text: string) {
    this.agentMessage(conversationSid, agentIdentity, messageSid);
    if (!text.trim()) throw new SandboxActionError('write something, or remove the message');
    await this.world.twilio.agentEdits(conversationSid, messageSid, text);
    this.world.changed();
  }

  /** The agent removes a message they sent, in Flex (an SDK action, so onMessageRemoved reaches flexcord). */
  async removeReply(conversationSid: string, agentIdentity: string, messageSid: string) {
    this.agentMessage(conversationSid, agentIdentity, messageSid);
    await this.world.twilio.agentRemoves(conversationSid, messageSid);
  }

  /** A cold transfer to the queue: a new task waits on the same channel and the other agent accepts it. */
  async transfer(conversationSid: string): Promise<void> {
    await this.world.twilio.agentTransfers(conversationSid, {});
  }

  /** The agent ends the chat: the conversation closes and the task waits in wrap-up until `complete`. */
  async endChat(conversationSid: string): Promise<void> {
    await this.world.twilio.agentCloses(conversationSid, { holdWrapUp: true });
  }

  async complete(taskSid: string): Promise<void> {
    await this.world.twilio.completeTask(taskSid);
  }

  // ---- the official feed ----

  /** A new item in the local feed, then a poll now (what `flexcord feeds poll-now` does). */
  async publishFeedItem(title: string, description: string): Promise<void> {
    const id = `starfall-${Date.now()}`;
    this.world.feedItems.push({
      id,
      title,
      description,
      link: `https://starfall.example/news/${id}`,
      publishedAt: new Date().toISOString(),
    });
    await pollFeedsNow(this.client());
  }

  // ---- helpers ----

  private requireUser(userId: string) {
    const user = this.world.discord.users.get(userId);
    if (!user || user.bot) throw new SandboxActionError(`no member ${userId}`);
    return user;
  }

  /** Discord lets people edit and delete only their own messages. */
  private ownMessage(userId: string, channelId: string, messageId: string): FakeMessage {
    this.requireUser(userId);
    const message = this.world.discord.messagesIn(channelId).find((m) => m.id === messageId);
    if (!message) throw new SandboxActionError(`no message ${messageId} in channel ${channelId}`);
    if (message.author.id !== userId)
      throw new SandboxActionError('members edit and delete only their own messages');
    return message;
  }

  /** Flex lets an agent edit and remove only their own messages. */
  private agentMessage(conversationSid: string, agentIdentity: string, messageSid: string): void {
    this.agent(agentIdentity);
    const conversation = this.world.twilio.conversations.get(conversationSid);
    const message = conversation?.messages.find((m) => m.sid === messageSid);
    if (!message) throw new SandboxActionError(`no message ${messageSid} in conversation ${conversationSid}`);
    if (message.author !== agentIdentity)
      throw new SandboxActionError('agents edit and remove only their own messages');
  }

  private findMessage(channelId: string, messageId: string): FakeMessage {
    const message = this.world.discord.messagesIn(channelId).find((m) => m.id === messageId);
    if (message) return message;
    // Ephemeral replies are not stored in the channel; their buttons are still pressable.
    for (const i of this.world.discord.interactions.values()) {
      for (const m of [i.original, ...i.followUps]) if (m?.id === messageId) return m;
    }
    throw new SandboxActionError(`no message ${messageId} in channel ${channelId}`);
  }
}
