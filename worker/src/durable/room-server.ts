/**
 * The room's Durable Object: a shell that turns workerd's events into calls
 * on `RoomLogic` and carries out the effects it returns (room/effects.ts).
 * partyserver keeps per-socket state in WebSocket attachments and runs
 * `onStart` (inside blockConcurrencyWhile) again after every wake, which is
 * exactly the hibernation contract we need. We do not use y-partyserver: it
 * saves the document on a debounce, and our rule is that an update is
 * stored before it is acknowledged or relayed.
 */
import {
  CLOSE_REASONS,
  CloseCode,
  DOCUMENT_TEXT,
  HEARTBEAT_PING,
  HEARTBEAT_PONG,
  type ChatMessage,
  type ChatPage,
  type ChatPost,
  type CustomEvent,
  type DocumentFormat,
  type DocumentTextWrite,
  type Person,
  type Revoke,
  type RoomInfo,
} from "@edgeroom/shared";
import type { ApiOutcome, RoomApi } from "../api/room-api.ts";
import type { ConnectionContext, WSMessage } from "partyserver";
import type { Effect, RoomSocket } from "../room/effects.ts";
import { NEW_PEER, type PeerState } from "../room/reaction.ts";
import { RoomLogic } from "../room/room-logic.ts";
import { PusherBridge } from "../room/pusher-bridge.ts";
import { ChannelCaller } from "../pusher/bridge/channel-caller.ts";
import { SqliteBridgeSwitches } from "../pusher/bridge/sqlite-bridge-switches.ts";
import type { VersionReader } from "../snapshots/version-reader.ts";
import { noteDocumentLoad, noteRoomStart } from "./bench-probe.ts";
import { inspectRoom, type RoomInspection } from "../inspect/inspect-room.ts";
import { MeteredServer } from "./metered-server.ts";
import { RelayBatch } from "./relay-batch.ts";
import { RoomStorage } from "./room-storage.ts";
import { guardSetup } from "./setup-guard.ts";
import { broadcast, closeQuietly, encodeFrame, SocketCache, toBytes, type Socket } from "./socket-frames.ts";

const NO_STATUS_RECEIVED = 1005;

export class Room extends MeteredServer<Env> implements RoomApi {
  static override options = { hibernate: true };
  #started: { room: RoomLogic; storage: RoomStorage } | undefined;
  /** The one timer: a pointer flush, pending only while moves wait. Pointers are ephemeral, so eviction loses nothing. */
  #pointerFlush: ReturnType<typeof setTimeout> | undefined;
  #sockets = new SocketCache();
  /** Stored first: the updates it relays are written before any frame leaves (see RelayBatch). */
  readonly #relays = new RelayBatch(() => this.#writeQueued());
  /** Editors of updates still queued: their snapshot bookkeeping is written once per batch, not per update. */
  readonly #queuedEditors = new Set<string>();
  /** Open sockets by id, for the sends of one turn (see `#socket`). */
  #byId: Map<string, WebSocket> | undefined;
  /** Sockets partyserver has wrapped as connections in this object's life (see `webSocketMessage`). */
  readonly #prepared = new WeakSet<WebSocket>();
  /** Which Pusher channels hear of this room (docs/pusher.md); looked at only while one is on. */
  #bridge: PusherBridge | undefined;
  #bridgeCalls: ChannelCaller | undefined;

  get room(): RoomLogic {
    return this.#parts().room;
  }
  get versionReader(): VersionReader {
    return this.#parts().storage.versionReader;
  }

  /** partyserver would name the socket after the client's `_pk`; rate limits, awareness and capacity need the server's id. */
  override fetch(request: Request): Promise<Response> {
    // The Worker already drops it (access/connect-gate.ts); this keeps the room right whoever calls it.
    if (!request.url.includes("_pk=")) return super.fetch(request);
    const url = new URL(request.url);
    url.searchParams.delete("_pk");
    return super.fetch(new Request(url, request));
  }

  // Setup errors are logged, never echoed with their stack (see setup-guard.ts).
  override onStart(): Promise<void> {
    return guardSetup("starting the room", async () => {
      noteRoomStart(this.name);
      // Heartbeats are answered by workerd itself, without waking the object.
      this.ctx.setWebSocketAutoResponse(new WebSocketRequestResponsePair(HEARTBEAT_PING, HEARTBEAT_PONG));
      await this.#open();
    });
  }

  /** Builds the room from its storage, with the sockets still open (after a wake, their attachments). */
  async #open(): Promise<void> {
    const storage = await RoomStorage.open(this.ctx.storage, this.env.SNAPSHOTS, this.name, {
      url: this.env.WEBHOOK_URL,
      secret: this.env.WEBHOOK_SECRET,
    });
    const { updates, chat, roomName, snapshots: versions } = storage;
    const room = new RoomLogic({ updates, chat, versions, roomName }, Date.now, Date.now, {
      label: this.name,
      onDocumentLoad: () => noteDocumentLoad(this.name),
    });
    room.restorePeers(this.#openSockets().map((s) => ({ id: s.id, state: s.peer })));
    this.#started = { room, storage };
    this.#bridge = new PusherBridge(this.name, new SqliteBridgeSwitches(this.ctx.storage.sql));
  }

  override onConnect(connection: Socket, ctx: ConnectionContext): Promise<void> {
    return guardSetup("connecting a socket", async () => {
      const admission = this.#started?.storage.admit(ctx.request) ?? {
        ok: false,
        code: CloseCode.tokenInvalid,
      };
      const others = this.#openSockets(connection.id);
      // partyserver has wrapped it as a connection: its frames can skip partyserver's check.
      this.#prepared.add(connection);
      await this.#run(this.room.opened(connection.id, admission, others, Date.now()), connection);
    });
  }

  /**
   * partyserver checks every message's socket by deserializing its whole attachment (the profile
   * in bench/results/profile.md shows it as the room's largest cost after sending). Every socket
   * here is partyserver's; one it has already prepared in this object's life goes straight on.
   */
  override webSocketMessage(ws: WebSocket, message: WSMessage): Promise<void> {
    if (this.#started === undefined || !this.#prepared.has(ws)) return super.webSocketMessage(ws, message);
    return this.meterMessage(message, () => this.onMessage(ws as Socket, message)).catch((error: unknown) => {
      console.error(`Edgeroom: room ${this.name} failed on a message:`, error);
    });
  }

  override async onMessage(connection: Socket, message: WSMessage): Promise<void> {
    this.#prepared.add(connection);
    const peer = this.#sockets.peer(connection);
    // A socket refused at connect never got state, and frames still in flight when the room closed one are not read.
    if (peer === null || connection.readyState !== WebSocket.OPEN) return;
    const frame = typeof message === "string" ? message : toBytes(message);
    // An update `received` takes is written to SQLite before anything that waited behind it is sent
    // (RelayBatch), and the output gate holds every frame sent after that write until it is durable.
    await this.#run(this.room.received(connection.id, peer, frame, Date.now()), connection);
  }

  override async onClose(connection: Socket, code?: number): Promise<void> {
    // partyserver echoes a client's close frame, but not one without a status code (1005, as
    // y-websocket and a bare `close()` send); answer it, or that client waits ~20 s for a 1006.
    if (code === NO_STATUS_RECEIVED) closeQuietly(connection);
    await this.#closed(connection, false);
  }

  override async onError(connection: Socket): Promise<void> {
    await this.onClose(connection);
  }

  /** The one alarm (`RoomLogic.alarm` says what it does). */
  override async onAlarm(): Promise<void> {
    await this.#run(this.room.alarm(Date.now(), this.#beatingSockets()));
    // After the room's own work, so a slow receiver never delays it; this never throws.
    await this.#parts().storage.deliverWebhooks();
  }

  override onRequest(): Response {
    return new Response("This endpoint speaks WebSocket only.", { status: 426 });
  }

  // --- the HTTP API's calls (worker/src/api/room-api.ts), each one event of the room ---

  async apiInfo(): Promise<RoomInfo> {
    const { room, storage } = await this.#ready();
    return {
      room: this.name,
      private: storage.isPrivate,
      people: room.peopleCount,
      documentBytes: room.document.byteSize(),
      lastEditAt: storage.snapshots.lastEditAt(),
      versions: storage.snapshots.versions().length,
    };
  }

  async apiDocument(format: DocumentFormat): Promise<string | Uint8Array> {
    const { room } = await this.#ready();
    return format === "yjs" ? room.documentState() : room.document.doc.getText(DOCUMENT_TEXT).toString();
  }

  async apiWriteUpdate(update: Uint8Array): Promise<ApiOutcome<{ documentBytes: number }>> {
    const { room } = await this.#ready();
    const { outcome, effects } = room.serverUpdate(update);
    await this.#run(effects);
    // Written and relayed now; the output gate holds this answer until the write is durable.
    this.#sendQueued();
    return outcome;
  }

  async apiWriteText(write: DocumentTextWrite): Promise<ApiOutcome<{ documentBytes: number }>> {
    const { room } = await this.#ready();
    const { outcome, effects } = room.serverText(write);
    await this.#run(effects);
    this.#sendQueued();
    return outcome;
  }

  async apiChat(after: number, limit: number): Promise<ChatPage> {
    const { room } = await this.#ready();
    return room.chat.page(after, limit);
  }

  async apiPostChat(post: ChatPost): Promise<{ message: ChatMessage; stored: boolean }> {
    const { room } = await this.#ready();
    const { message, stored, effects } = room.serverChat(post);
    await this.#run(effects);
    return { message, stored };
  }

  async apiPeople(): Promise<{ people: Person[] }> {
    const { room } = await this.#ready();
    return { people: room.people(this.#openSockets()) };
  }

  async apiEvent(event: CustomEvent): Promise<{ delivered: number }> {
    const { room } = await this.#ready();
    const { delivered, effects } = room.serverEvent(event, this.#openSockets());
    await this.#run(effects);
    return { delivered };
  }

  async apiRevoke(revoke: Revoke): Promise<{ closedSockets: number; downgradedSockets: number }> {
    const { room, storage } = await this.#ready();
    // Stored first: a socket reconnecting with the same token a moment later is refused too.
    storage.revoke(revoke.sub, revoke.scope ?? "all", Date.now());
    const { effects, ...counts } = room.revoke(revoke.sub, revoke.scope, this.#openSockets());
    await this.#run(effects);
    return counts;
  }

  async apiDelete(): Promise<{ closedSockets: number }> {
    await this.#ready();
    let closedSockets = 0;
    // Nothing else runs in the room until it is empty and open again.
    await this.ctx.blockConcurrencyWhile(async () => {
      const { room, storage } = this.#parts();
      const open = this.#openSockets();
      closedSockets = open.length;
      const bridged = this.#bridge?.channels ?? [];
      await this.#run(room.deleted(open));
      if (this.#pointerFlush !== undefined) clearTimeout(this.#pointerFlush);
      this.#pointerFlush = undefined;
      this.#relays.clear();
      this.#queuedEditors.clear();
      await storage.deleteEverything();
      await this.#open();
      // Its Pusher channels are still occupied: they stay bridged, and hear that nobody is here.
      for (const channel of bridged) this.#openBridge(channel);
    });
    return { closedSockets };
  }

  /**
   * Forgets what SocketCache holds, so each socket's state is read from its attachment again: for
   * code that writes attachments itself rather than through the room (the workerd tests that
   * backdate a socket), which the room would otherwise not see.
   */
  rereadSockets(): void {
    this.#sockets = new SocketCache();
  }

  /** For the development inspector (worker/src/inspect/): undefined for a room never used, which this does not create. */
  async inspect(): Promise<RoomInspection | undefined> {
    const target = {
      ctx: this.ctx,
      name: this.name,
      meter: this.meter,
      sockets: () => this.getConnections<PeerState>(),
    };
    return inspectRoom(target, this.#started, () => this.#ready());
  }

  /**
   * One of this room's bridged Pusher channels (`presence-edgeroom-<room>`, `private-edgeroom-<room>`)
   * became occupied or vacated; its channel object calls this (pusher/bridge/bridge-hooks.ts).
   */
  async pusherBridge(channel: string, occupied: boolean): Promise<void> {
    await this.#ready();
    if (occupied) return this.#openBridge(channel);
    const kind = this.#bridge?.kindOf(channel);
    if (kind) this.#bridge?.closed(kind);
    else refuseBridge(channel, this.name);
  }

  #openBridge(channel: string): void {
    const bridge = this.#bridge;
    const kind = bridge?.kindOf(channel);
    if (!bridge || !kind) return refuseBridge(channel, this.name);
    this.#callChannels(bridge.opened(kind, () => this.#people()));
  }

  #callChannels(calls: Parameters<ChannelCaller["send"]>[0]): void {
    this.#bridgeCalls ??= new ChannelCaller(
      this.env,
      (work) => this.ctx.waitUntil(work),
      () => this.#bridge?.membersUnsent(),
      this.name,
    );
    this.#bridgeCalls.send(calls);
  }

  #people(): Person[] {
    return this.room.people(this.#openSockets());
  }

  /** The room, started: an RPC call may be the first event of an object just woken. */
  async #ready(): Promise<{ room: RoomLogic; storage: RoomStorage }> {
    if (!this.#started) await this.setName(this.name);
    return this.#parts();
  }

  /** Carries out effects in order; only slow ones are awaited, so sends go out before any await. */
  async #run(effects: readonly Effect[], current?: Socket): Promise<void> {
    for (const effect of effects) {
      const pending = this.#carryOut(effect, current);
      if (pending) await pending;
    }
    // After the effects, so the people read from the sockets are the ones they left.
    if (this.#bridge?.on) this.#callChannels(this.#bridge.after(effects, () => this.#people()));
  }

  #carryOut(effect: Effect, current: Socket | undefined): Promise<void> | undefined {
    const { room, storage } = this.#parts();
    const socket = "socket" in effect ? this.#socket(effect.socket, current) : undefined;
    switch (effect.kind) {
      case "send":
        if (socket?.readyState !== WebSocket.OPEN) return;
        if (!this.#relays.waiting) return void this.meter.send(socket, encodeFrame(effect.frame));
        return void this.#relays.later(() => {
          if (socket.readyState === WebSocket.OPEN) this.meter.send(socket, encodeFrame(effect.frame));
        });
      case "broadcast": {
        const except = effect.except === undefined ? undefined : this.#socket(effect.except, current);
        const all = () => this.ctx.getWebSockets();
        if (effect.lane === "all" && effect.frame instanceof Uint8Array) {
          if (this.#relays.add(effect.frame, except, () => this.#sendQueued())) return;
        }
        if (!this.#relays.waiting) return broadcast(all(), except, effect, this.#sockets, this.meter);
        return void this.#relays.later(() => broadcast(all(), except, effect, this.#sockets, this.meter));
      }
      case "close":
        this.#sendQueued();
        return void socket?.close(effect.code, effect.reason);
      case "evict":
        this.#sendQueued();
        return socket && this.#evict(socket, effect.code);
      case "set-peer":
        if (socket) this.#sockets.set(socket, effect.peer);
        return void socket?.setState(effect.peer);
      case "note-edit":
        if (!this.#relays.waiting) return storage.carryOut(effect);
        this.#queuedEditors.add(effect.editor);
        return;
      case "wake-by":
      case "note-access-change":
      case "flush-snapshot-soon":
      case "plan-alarm":
      case "webhook":
        return storage.carryOut(effect);
      case "save-snapshot":
        return storage
          .saveSnapshotIfDue(() => room.documentState())
          .then((versions) => {
            if (versions) return this.#run(room.versionsSaved(versions));
          });
      case "read-version":
        return storage.readVersion(effect.socket, effect.at).then((answer) => {
          return this.#run(room.versionRead(effect.socket, effect.at, answer));
        });
      case "sweep":
        return this.#run(room.sweep(Date.now(), this.#beatingSockets()));
      case "ask-check-in":
        return this.#run(room.askCheckIn(Date.now(), this.#beatingSockets()));
      case "flush-pointers":
        if (this.#pointerFlush !== undefined) return;
        this.#pointerFlush = setTimeout(() => {
          this.#pointerFlush = undefined;
          void this.meter.time(() =>
            this.#run(room.pointerTick(this.#sockets.appLaneIds(this.ctx.getWebSockets()))),
          );
        }, effect.afterMs);
        return;
    }
  }

  /** Closes a socket from this side and lets everyone see it leave, without waiting for its close frame. */
  async #evict(socket: Socket, code: CloseCode): Promise<void> {
    socket.close(code, CLOSE_REASONS[code].reason);
    await this.#closed(socket, true);
  }

  #closed(socket: Socket, evicted: boolean): Promise<void> {
    const othersOpen = this.#openSockets(socket.id).length;
    const peer = this.#sockets.peer(socket) ?? NEW_PEER;
    return this.#run(this.room.closed(socket.id, peer, othersOpen, evicted), socket);
  }

  /** What a batch writes before it sends: the updates, then who edited (for the next snapshot). */
  #writeQueued(): void {
    const storage = this.#started?.storage;
    if (!storage) return;
    storage.updates.flush();
    for (const editor of this.#queuedEditors) {
      storage.carryOut({ kind: "note-edit", editor }).catch((error: unknown) => {
        console.error(`Edgeroom: noting an edit in room ${this.name} failed:`, error);
      });
    }
    this.#queuedEditors.clear();
  }

  /** Writes the queued updates, then sends what waited behind them (RelayBatch). */
  #sendQueued(): void {
    this.#relays.flush(this.ctx.getWebSockets(), this.meter);
  }

  /** Every open socket with when workerd last answered its heartbeat (it answers them without waking the room). */
  #beatingSockets(): RoomSocket[] {
    const beat = (ws: WebSocket) => this.ctx.getWebSocketAutoResponseTimestamp(ws)?.getTime();
    return this.#sockets.open(this.ctx.getWebSockets(), "", beat);
  }

  /** The open sockets but `exceptId`, with their state (SocketCache: no attachment read twice). */
  #openSockets(exceptId = ""): RoomSocket[] {
    return this.#sockets.open(this.ctx.getWebSockets(), exceptId);
  }

  #socket(id: string, current: Socket | undefined): Socket | undefined {
    if (current?.id === id) return current;
    // partyserver's getConnection deserializes attachments on each call; a pointer tick sends to everyone.
    if (!this.#byId) {
      this.#byId = this.#sockets.index(this.ctx.getWebSockets());
      queueMicrotask(() => (this.#byId = undefined));
    }
    const ws = this.#byId.get(id);
    // Only a socket partyserver has already wrapped as a connection has `state` and `setState`.
    if (ws && Object.hasOwn(ws, "setState")) return ws as Socket;
    return this.getConnection<PeerState>(id);
  }

  #parts(): { room: RoomLogic; storage: RoomStorage } {
    if (!this.#started) throw new Error("room used before onStart");
    return this.#started;
  }
}

/** Only the room's own two channels are bridged to it; the caller is the Worker's own code, so this is a bug to log. */
function refuseBridge(channel: string, room: string): void {
  console.error(`Edgeroom: ${channel} is not a Pusher channel of room ${room}; not bridged.`);
}
