import { type IncomingMessage } from 'node:http';
import { type Duplex } from 'node:stream';
import {
  GatewayCloseCodes,
  GatewayDispatchEvents,
  type GatewayIntentBits,
  GatewayOpcodes,
  type GatewayReceivePayload,
  type GatewaySendPayload,
} from 'discord-api-types/v10';
import { WebSocket, WebSocketServer } from 'ws';
import { snowflake } from './snowflake';

export interface GatewaySession {
  id: string;
  socket: WebSocket;
  intents: number;
  seq: number;
  identified: boolean;
}

export interface GatewayHooks {
  /** READY and GUILD_CREATE payloads for a freshly identified session. */
  onIdentify(session: GatewaySession): { ready: unknown; guilds: unknown[] };
  /** True when the application may not use these intents (a privileged one not switched on). */
  refuses?(intents: number): boolean;
}

/**
 * The gateway side of the fake: HELLO, IDENTIFY, READY, GUILD_CREATE, heartbeats and their ACKs, then dispatches.
 * Plain JSON frames (discord.js only asks for zlib-stream when zlib-sync is installed).
 */
export class FakeGateway {
  readonly sessions = new Set<GatewaySession>();
  readonly heartbeatsAcked = { count: 0 };
  private readonly wss = new WebSocketServer({ noServer: true });

  constructor(
    private readonly hooks: GatewayHooks,
    private readonly heartbeatIntervalMs = 41_250,
  ) {
    this.wss.on('connection', (socket) => this.accept(socket));
  }

  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    this.wss.handleUpgrade(req, socket, head, (ws) => this.wss.emit('connection', ws, req));
  }

  /** Sends an event to every identified session whose intents cover it (`intent` undefined: always sent). */
  dispatch(
    t: GatewayDispatchEvents,
    d: unknown,
    intent?: GatewayIntentBits,
    shape?: (s: GatewaySession) => unknown,
  ) {
    for (const s of this.sessions) {
      if (!s.identified) continue;
      if (intent !== undefined && (s.intents & intent) === 0) continue;
      s.seq += 1;
      this.send(s, {
        op: GatewayOpcodes.Dispatch,
        t,
        s: s.seq,
        d: shape ? shape(s) : d,
      } as GatewayReceivePayload);
    }
  }

  /** Op 9 Invalid Session with `d: false`: the client must identify anew; nothing is dispatched to it meanwhile. */
  invalidateSessions(): void {
    for (const s of this.sessions) {
      if (!s.identified) continue;
      s.identified = false;
      this.send(s, { op: GatewayOpcodes.InvalidSession, d: false, s: null, t: null });
    }
  }

  hasIdentifiedSession(): boolean {
    return [...this.sessions].some((s) => s.identified);
  }

  async close(): Promise<void> {
    for (const s of this.sessions) s.socket.terminate();
    await new Promise<void>((resolve) => this.wss.close(() => resolve()));
  }

  private accept(socket: WebSocket): void {
    const session: GatewaySession = { id: snowflake(), socket, intents: 0, seq: 0, identified: false };
    this.sessions.add(session);
    socket.on('close', () => this.sessions.delete(session));
    socket.on('message', (raw) => this.receive(session, raw.toString()));
    this.send(session, {
      op: GatewayOpcodes.Hello,
      d: { heartbeat_interval: this.heartbeatIntervalMs },
      s: null,
      t: null,
    });
  }

  private receive(session: GatewaySession, raw: string): void {
    const payload = JSON.parse(raw) as GatewaySendPayload;
    switch (payload.op) {
      case GatewayOpcodes.Heartbeat:
        this.heartbeatsAcked.count += 1;
        this.send(session, { op: GatewayOpcodes.HeartbeatAck, d: undefined as never, s: null, t: null });
        return;
      case GatewayOpcodes.Identify: {
        session.intents = Number(payload.d.intents);
        // A privileged intent the developer portal has not switched on: Discord closes with 4014.
        if (this.hooks.refuses?.(session.intents)) {
          session.socket.close(GatewayCloseCodes.DisallowedIntents, 'Disallowed intent(s).');
          return;
        }
        session.identified = true;
        const { ready, guilds } = this.hooks.onIdentify(session);
        session.seq += 1;
        this.send(session, {
          op: 0,
          t: GatewayDispatchEvents.Ready,
          s: session.seq,
          d: ready,
        } as GatewayReceivePayload);
        for (const guild of guilds) {
          session.seq += 1;
          this.send(session, {
            op: 0,
            t: GatewayDispatchEvents.GuildCreate,
            s: session.seq,
            d: guild,
          } as GatewayReceivePayload);
        }
        return;
      }
      default:
        // Presence updates, voice state and the like: accepted and ignored.
        return;
    }
  }

  private send(session: GatewaySession, payload: GatewayReceivePayload): void {
    if (session.socket.readyState === WebSocket.OPEN) session.socket.send(JSON.stringify(payload));
  }
}
