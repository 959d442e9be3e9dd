import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import { FakeDiscord } from './discord';
import { type FakeChannel, type FakeGuild, type FakeMessage, type FakeUser } from './discord/model';
import { snowflake } from './discord/snowflake';
import { FakeTwilio } from './twilio/fake-twilio';
import { type StoredMedia } from './twilio/media-store';
import { type Conversation, type Interaction, type Task } from './twilio/model';
import { writeFileAtomic } from './data-dir';
import { type ChannelNames, type FeedItem, type SandboxCast, seedDiscord, seedFeed } from './seed';
import { decodeState, encodeState } from './state-codec';

/** What `world.json` holds: both fakes' state and the sandbox's own (its cast and its feed). */
interface WorldFile {
  version: 1;
  id: string;
  savedAt: string;
  cast: SandboxCast;
  feedItems: FeedItem[];
  /** Made for this world and kept with it: histories are encrypted with the key, identities derive from the secret. */
  secrets?: SandboxSecrets;
  discord: {
    token: string;
    applicationId: string;
    botUserId: string;
    users: Map<string, FakeUser>;
    guilds: Map<string, FakeGuild>;
    channels: Map<string, FakeChannel>;
    messages: Map<string, FakeMessage[]>;
    commands: FakeDiscord['commands'];
  };
  twilio: {
    accountSid: string;
    authToken: string;
    serviceSid: string;
    workspaceSid: string;
    workflowSid: string;
    conversations: Map<string, Conversation>;
    interactions: Map<string, Interaction>;
    tasks: Map<string, Task>;
    media: Map<string, StoredMedia>;
  };
}

export interface SandboxSecrets {
  /** PAYLOAD_ENCRYPTION_KEYS for this world's Temporal histories (`sandbox=<base64 of 32 bytes>`). */
  payloadKeys: string;
  /** TWILIO_IDENTITY_SECRET: customers' Twilio identities are HMACs keyed with it. */
  twilioIdentitySecret: string;
}

function newSecrets(): SandboxSecrets {
  return {
    payloadKeys: `sandbox=${randomBytes(32).toString('base64')}`,
    twilioIdentitySecret: randomBytes(24).toString('hex'),
  };
}

export interface WorldOptions {
  /** Where TaskRouter events go: the webhooks role's `/twilio/taskrouter`. */
  taskrouterCallbackUrl: string;
}

/**
 * The sandbox's Discord and Twilio, with their state saved to `world.json` beside the sandbox's Temporal and case
 * databases. Interactions (tokens valid for minutes) and request logs are not kept.
 */
export class SandboxWorld {
  /** Changes the fakes' counters do not see (a member's language, an edited message): for `revision()`. */
  private otherChanges = 0;

  private constructor(
    readonly id: string,
    readonly discord: FakeDiscord,
    readonly twilio: FakeTwilio,
    readonly cast: SandboxCast,
    readonly feedItems: FeedItem[],
    readonly secrets: SandboxSecrets,
    private readonly file: string,
  ) {}

  /** A new world: both fakes started, the demo server set up through flexcord's own setup code. */
  static async create(file: string, names: ChannelNames, options: WorldOptions): Promise<SandboxWorld> {
    const discord = await new FakeDiscord({
      token: `sandbox-${randomBytes(12).toString('hex')}`,
      applicationId: snowflake(),
    }).start();
    const twilio = await new FakeTwilio({ taskrouterCallbackUrl: options.taskrouterCallbackUrl }).start();
    try {
      const cast = await seedDiscord(discord, names);
      const id = randomBytes(8).toString('hex');
      return new SandboxWorld(id, discord, twilio, cast, seedFeed(), newSecrets(), file);
    } catch (err) {
      await Promise.all([discord.stop(), twilio.stop()]);
      throw err;
    }
  }

  /** The world as the last run left it. */
  static async restore(file: string, options: WorldOptions): Promise<SandboxWorld> {
    const saved = decodeState<WorldFile>(fs.readFileSync(file, 'utf8'));
    if (saved.version !== 1)
      throw new Error(`${file} has an unknown format (version ${String(saved.version)})`);
    const d = saved.discord;
    const discord = new FakeDiscord({
      token: d.token,
      applicationId: d.applicationId,
      botUserId: d.botUserId,
    });
    refill(discord.users, d.users);
    refill(discord.guilds, d.guilds);
    refill(discord.channels, d.channels);
    refill(discord.messages, d.messages);
    refill(discord.commands, d.commands);
    const t = saved.twilio;
    const twilio = new FakeTwilio({
      accountSid: t.accountSid,
      authToken: t.authToken,
      serviceSid: t.serviceSid,
      workspaceSid: t.workspaceSid,
      workflowSid: t.workflowSid,
      taskrouterCallbackUrl: options.taskrouterCallbackUrl,
    });
    refill(twilio.conversations, t.conversations);
    refill(twilio.interactions, t.interactions);
    refill(twilio.tasks, t.tasks);
    refill(twilio.mediaStore.media, t.media);
    await discord.start();
    await twilio.start();
    // A world saved before it had secrets (or a payload key) gets them now; histories written in plain JSON still
    // decode, so its conversations carry on.
    const secrets = { ...newSecrets(), ...saved.secrets };
    return new SandboxWorld(saved.id, discord, twilio, saved.cast, saved.feedItems, secrets, file);
  }

  save(): void {
    const world: WorldFile = {
      version: 1,
      id: this.id,
      savedAt: new Date().toISOString(),
      cast: this.cast,
      feedItems: this.feedItems,
      secrets: this.secrets,
      discord: {
        token: this.discord.token,
        applicationId: this.discord.applicationId,
        botUserId: this.discord.botUser.id,
        users: this.discord.users,
        guilds: this.discord.guilds,
        channels: this.discord.channels,
        messages: this.discord.messages,
        commands: this.discord.commands,
      },
      twilio: {
        accountSid: this.twilio.accountSid,
        authToken: this.twilio.authToken,
        serviceSid: this.twilio.serviceSid,
        workspaceSid: this.twilio.workspaceSid,
        workflowSid: this.twilio.workflowSid,
        conversations: this.twilio.conversations,
        interactions: this.twilio.interactions,
        tasks: this.twilio.tasks,
        media: this.twilio.mediaStore.media,
      },
    };
    writeFileAtomic(this.file, encodeState(world));
  }

  /**
   * A number that changes whenever either fake's state may have: requests served, webhooks sent, messages,
   * interactions. Cheap to compute, so the playground and the saver can poll it.
   */
  revision(): string {
    let messages = 0;
    for (const list of this.discord.messages.values()) messages += list.length;
    return [
      this.discord.requestLog.length,
      this.discord.interactions.size,
      this.discord.channels.size,
      messages,
      this.twilio.requests.length,
      this.twilio.deliveries.length,
      this.twilio.tasks.size,
      this.feedItems.length,
      this.otherChanges,
    ].join('.');
  }

  /** Something changed in place that `revision()` would not notice otherwise; the page and the saver will. */
  changed(): void {
    this.otherChanges += 1;
  }

  async stop(): Promise<void> {
    await this.twilio.stop();
    await this.discord.stop();
  }
}

function refill<K, V>(target: Map<K, V>, saved: Map<K, V> | undefined): void {
  target.clear();
  for (const [key, value] of saved ?? []) target.set(key, value);
}
