/**
 * One Pusher channel's Durable Object (channel-contract.ts). It holds one
 * hibernatable internal socket per subscribed client connection, each
 * carrying its `Subscriber` as the socket's attachment, so after a wake the
 * subscribers, their users and the presence roster are rebuilt from
 * `getWebSockets()` and SQLite alone. It sends subscription_succeeded and
 * member events, relays client events to the other subscribers, and serves
 * the HTTP API and the bridge over RPC.
 */
import {
  channelEventFrame,
  classifyChannel,
  memberAddedFrame,
  memberRemovedFrame,
  PUSHER_LIMITS,
  readClientEvent,
  readPresenceMembers,
  readSubscriber,
  subscriptionSucceededFrame,
} from "@edgeroom/shared/pusher";
import { DurableObject } from "cloudflare:workers";
import {
  CHANNEL_SUBSCRIBE_PATH,
  type ChannelHooks,
  type ChannelInfo,
  type ChannelRpc,
  INTERNAL_EVENT_PREFIX,
  type PresenceMember,
  type PublishedEvent,
  type Subscriber,
  SUBSCRIBER_HEADER,
  TERMINATE_EVENT,
} from "../channel-contract.ts";
import { createChannelHooks } from "../channel-hooks.ts";
import { ChannelStore } from "./channel-store.ts";
import { buildRoster, type Roster, rosterChanges, snapshotOf } from "./presence-roster.ts";

export class PusherChannel extends DurableObject<Env> implements ChannelRpc {
  readonly #store: ChannelStore;
  #hooks: ChannelHooks | undefined;

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    this.#store = new ChannelStore(ctx.storage);
  }

  override async fetch(request: Request): Promise<Response> {
    if (new URL(request.url).pathname !== CHANNEL_SUBSCRIBE_PATH)
      return new Response("Not found", { status: 404 });
    if (request.headers.get("Upgrade")?.toLowerCase() !== "websocket") {
      return new Response("Expected a WebSocket upgrade.", { status: 426 });
    }
    const subscriber = readSubscriber(request.headers.get(SUBSCRIBER_HEADER));
    if (!subscriber) return new Response("Invalid subscriber.", { status: 400 });
    const known = this.#channelName();
    if (known !== undefined && known !== subscriber.channel) {
      return new Response("This object serves another channel.", { status: 400 });
    }
    if (known === undefined) this.#store.rememberChannelName(subscriber.channel);
    const presence = this.#isPresence();

    // From here to acceptWebSocket nothing awaits, so the member count cannot change under the check.
    const sockets = this.#sockets();
    const before = presence ? this.#roster(sockets) : undefined;
    if (
      before &&
      subscriber.userId !== undefined &&
      !before.has(subscriber.userId) &&
      before.size >= PUSHER_LIMITS.maxPresenceMembers
    ) {
      return new Response(`This presence channel is full (${PUSHER_LIMITS.maxPresenceMembers} members).`, {
        status: 403,
      });
    }

    const pair = new WebSocketPair();
    const socket = pair[1];
    this.ctx.acceptWebSocket(socket);
    socket.serializeAttachment(subscriber);

    const hooks = this.#channelHooks();
    if (sockets.length === 0) hooks?.occupied();
    if (before) {
      const after = this.#roster([...sockets, socket]);
      socket.send(subscriptionSucceededFrame(subscriber.channel, snapshotOf(after)));
      this.#announce(before, after, sockets);
    } else {
      socket.send(subscriptionSucceededFrame(subscriber.channel));
    }
    return new Response(null, { status: 101, webSocket: pair[0] });
  }

  override webSocketMessage(ws: WebSocket, message: string | ArrayBuffer): void {
    const sender = subscriberOf(ws);
    const event = readClientEvent(message);
    if (!sender || !event) return;
    const userId = this.#isPresence() ? sender.userId : undefined;
    const frame = channelEventFrame(sender.channel, event.event, event.data, userId);
    for (const socket of this.#sockets()) if (socket !== ws) trySend(socket, frame);
    this.#channelHooks()?.clientEvent({
      event: event.event,
      data: event.data,
      socketId: sender.socketId,
      ...(sender.userId === undefined ? {} : { userId: sender.userId }),
    });
  }

  override webSocketClose(ws: WebSocket, code: number, reason: string): void {
    this.#leave(ws);
    try {
      ws.close(code === 1005 || code === 1006 ? 1000 : code, reason);
    } catch {
      // Already closed.
    }
  }

  override webSocketError(ws: WebSocket): void {
    this.#leave(ws);
  }

  override async alarm(): Promise<void> {
    await this.#channelHooks()?.alarm();
  }

  async publish(events: PublishedEvent[]): Promise<number> {
    const channel = this.#channelName();
    if (channel === undefined) return 0;
    const reached = new Set<WebSocket>();
    for (const event of events) {
      // Control events are the Worker's alone; no caller may make a channel send one.
      if (event.event.startsWith(INTERNAL_EVENT_PREFIX)) continue;
      const frame = channelEventFrame(channel, event.event, event.data);
      for (const socket of this.#sockets()) {
        if (event.exceptSocketId !== undefined && subscriberOf(socket)?.socketId === event.exceptSocketId)
          continue;
        if (trySend(socket, frame)) reached.add(socket);
      }
    }
    return reached.size;
  }

  async info(): Promise<ChannelInfo> {
    const sockets = this.#sockets();
    const info: ChannelInfo = { occupied: sockets.length > 0, subscription_count: sockets.length };
    if (this.#isPresence()) info.user_count = this.#roster(sockets).size;
    return info;
  }

  async users(): Promise<string[]> {
    return this.#isPresence() ? [...this.#roster(this.#sockets()).keys()] : [];
  }

  async terminate(): Promise<number> {
    const frame = JSON.stringify({ event: TERMINATE_EVENT, data: "{}" });
    let count = 0;
    for (const socket of this.#sockets()) if (trySend(socket, frame)) count++;
    return count;
  }

  async setRoomMembers(members: PresenceMember[]): Promise<void> {
    const parsed = readPresenceMembers(members);
    if (!parsed) throw new TypeError("setRoomMembers: members must be [{ user_id, user_info? }].");
    const sockets = this.#sockets();
    const before = this.#roster(sockets);
    this.#store.replaceRoomMembers(parsed);
    if (this.#isPresence()) this.#announce(before, this.#roster(sockets), sockets);
  }

  /** A subscriber left: member_removed if it was its user's last way in, vacated if it was the last socket. */
  #leave(ws: WebSocket): void {
    const subscriber = subscriberOf(ws);
    // webSocketError and webSocketClose may both come for one socket; it leaves once.
    if (!subscriber || leftSockets.has(ws)) return;
    leftSockets.add(ws);
    const remaining = this.#sockets().filter((socket) => socket !== ws);
    if (this.#isPresence()) {
      const before = this.#roster([...remaining, ws]);
      this.#announce(before, this.#roster(remaining), remaining);
    }
    if (remaining.length === 0) this.#channelHooks()?.vacated();
  }

  /** Tells `audience` who joined and left, once per user, and the hooks likewise. */
  #announce(before: Roster, after: Roster, audience: readonly WebSocket[]): void {
    const channel = this.#channelName();
    if (channel === undefined) return;
    const { added, removed, changed } = rosterChanges(before, after);
    const hooks = this.#channelHooks();
    for (const id of changed) {
      const frame = memberAddedFrame(channel, id, after.get(id));
      for (const socket of audience) if (subscriberOf(socket)?.userId !== id) trySend(socket, frame);
    }
    for (const id of added) {
      const frame = memberAddedFrame(channel, id, after.get(id));
      for (const socket of audience) if (subscriberOf(socket)?.userId !== id) trySend(socket, frame);
      hooks?.memberAdded(id);
    }
    for (const id of removed) {
      const frame = memberRemovedFrame(channel, id);
      for (const socket of audience) trySend(socket, frame);
      hooks?.memberRemoved(id);
    }
  }

  #roster(sockets: readonly WebSocket[]): Roster {
    const subscribers = sockets.map(subscriberOf).filter((s): s is Subscriber => s !== undefined);
    return buildRoster(this.#store.roomMembers(), subscribers);
  }

  #sockets(): WebSocket[] {
    return this.ctx.getWebSockets().filter((socket) => socket.readyState === WebSocket.OPEN);
  }

  #channelName(): string | undefined {
    return this.#store.channelName() ?? this.ctx.id.name;
  }

  #isPresence(): boolean {
    const name = this.#channelName();
    if (name === undefined) return false;
    const kind = classifyChannel(name);
    return kind.ok && kind.kind === "presence";
  }

  #channelHooks(): ChannelHooks | undefined {
    if (this.#hooks) return this.#hooks;
    const name = this.#channelName();
    if (name === undefined) return undefined;
    this.#hooks = createChannelHooks(this.env, this.ctx, name);
    return this.#hooks;
  }
}

/** Sockets already counted out (a socket that left is never handed to a later wake, so memory is enough). */
const leftSockets = new WeakSet<WebSocket>();

function subscriberOf(ws: WebSocket): Subscriber | undefined {
  return (ws.deserializeAttachment() as Subscriber | null) ?? undefined;
}

function trySend(socket: WebSocket, frame: string): boolean {
  try {
    socket.send(frame);
    return true;
  } catch {
    return false;
  }
}
