/**
 * The room's Durable Object: a thin shell that adapts partyserver's
 * hibernating connections to `YRoom`. partyserver keeps per-socket state in
 * WebSocket attachments and runs `onStart` (inside blockConcurrencyWhile)
 * again after every wake, which is exactly the hibernation contract we need.
 * We do not use y-partyserver: it saves the document on a debounce, and our
 * rule is that an update is stored before it is acknowledged or relayed.
 */
import {
  CLOSE_REASONS,
  CloseCode,
  ErrorCode,
  HEARTBEAT_PING,
  HEARTBEAT_PONG,
  LIMITS,
  readAwarenessStateJson,
  readAwarenessUser,
  type ServerAppMessage,
} from "@edgeroom/shared";
import { Server, type Connection, type ConnectionContext, type WSMessage } from "partyserver";
import { R2SnapshotArchive } from "../snapshots/snapshot-archive.ts";
import { Snapshotter } from "../snapshots/snapshotter.ts";
import { VersionReader, type VersionAnswer } from "../snapshots/version-reader.ts";
import { noteRoomStart } from "./bench-probe.ts";
import { NEW_PEER, type Outbound, type PeerState } from "./reaction.ts";
import { roomIsFull } from "./capacity.ts";
import { RoomAccess } from "./room-access.ts";
import { RoomLogic } from "./room-logic.ts";
import { guardSetup } from "./setup-guard.ts";
import { SqliteChatStore } from "./sqlite-chat-store.ts";
import { SqliteUpdateStore } from "./sqlite-update-store.ts";
import { earliestTokenExpiry, mayStayInPrivateRoom, tokenHasExpired, verifiedPeer } from "./verified-peer.ts";

const NO_STATUS_RECEIVED = 1005;

function closeNormally(connection: Connection<PeerState>): void {
  try {
    connection.close(1000, "closed");
  } catch {
    // already closed from this side
  }
}

export class Room extends Server<Env> {
  static override options = { hibernate: true };

  #room: RoomLogic | undefined;
  #snapshots: Snapshotter | undefined;
  #access: RoomAccess | undefined;
  #versionReader: VersionReader | undefined;
  /**
   * The one timer the object uses: a single pointer flush, pending only
   * while pointer moves wait to be sent. Pointers are ephemeral, so a batch
   * lost to eviction loses nothing; everything that must survive is in
   * storage or attachments.
   */
  #pointerFlush: ReturnType<typeof setTimeout> | undefined;

  get room(): RoomLogic {
    if (!this.#room) throw new Error("room used before onStart");
    return this.#room;
  }

  get access(): RoomAccess {
    if (!this.#access) throw new Error("access used before onStart");
    return this.#access;
  }

  get snapshots(): Snapshotter {
    if (!this.#snapshots) throw new Error("snapshots used before onStart");
    return this.#snapshots;
  }

  get versionReader(): VersionReader {
    if (!this.#versionReader) throw new Error("versions used before onStart");
    return this.#versionReader;
  }

  /**
   * partyserver would name the connection after the `_pk` query parameter,
   * which the client chooses; without it, partyserver makes a random id. The
   * room keys rate limits, awareness ownership and capacity by that id, so
   * it must be the server's.
   */
  override fetch(request: Request): Promise<Response> {
    const url = new URL(request.url);
    if (!url.searchParams.has("_pk")) return super.fetch(request);
    url.searchParams.delete("_pk");
    return super.fetch(new Request(url, request));
  }

  // Setup errors are logged, never echoed with their stack (see setup-guard.ts).
  override onStart(): Promise<void> {
    return guardSetup("starting the room", () => this.#start());
  }

  override onConnect(connection: Connection<PeerState>, ctx: ConnectionContext): Promise<void> {
    return guardSetup("connecting a socket", () => this.#connect(connection, ctx));
  }

  async #start(): Promise<void> {
    noteRoomStart(this.name);
    // Heartbeats are answered by workerd itself, without waking the object.
    this.ctx.setWebSocketAutoResponse(new WebSocketRequestResponsePair(HEARTBEAT_PING, HEARTBEAT_PONG));
    const access = new RoomAccess(this.ctx.storage.sql);
    const updates = new SqliteUpdateStore(this.ctx.storage);
    const snapshots = new Snapshotter(
      this.ctx.storage.sql,
      new R2SnapshotArchive(this.env.SNAPSHOTS),
      this.name,
    );
    // Access first: the room admits no socket before it knows it is private (onStart blocks them).
    const restoredAccess = await snapshots.restoreIfEmpty(updates);
    if (restoredAccess) access.restore(restoredAccess);
    this.#access = access;
    this.#snapshots = snapshots;
    this.#versionReader = new VersionReader((at) => snapshots.text(at));
    this.#room = new RoomLogic(
      { updates, chat: new SqliteChatStore(this.ctx.storage.sql), versions: snapshots },
      Date.now,
      Date.now,
      this.name,
    );
    this.room.restorePeers(
      [...this.getConnections<PeerState>()].map((c) => ({ id: c.id, state: peerState(c) })),
    );
  }

  async #connect(connection: Connection<PeerState>, ctx: ConnectionContext): Promise<void> {
    const admission = this.#access?.admit(ctx.request);
    if (!admission?.ok) {
      const code = admission?.code ?? CloseCode.tokenInvalid;
      connection.close(code, CLOSE_REASONS[code].reason);
      return;
    }
    // Before the capacity check: a room full of tokenless sockets still turns private at once.
    if (admission.madePrivate) await this.#turnPrivate(connection);
    if (roomIsFull(this.#openConnections(connection.id).length)) {
      connection.close(CloseCode.roomFull, CLOSE_REASONS[CloseCode.roomFull].reason);
      return;
    }
    const peer: PeerState = {
      ...NEW_PEER,
      since: Date.now(),
      ...verifiedPeer(admission.verified, admission.expiresAt),
    };
    connection.setState(peer);
    this.#deliver(connection, this.room.join(connection.id, peer).out);
    await this.#wakeBy(Math.min(Date.now() + LIMITS.heartbeatSweepMs, admission.expiresAt ?? Infinity));
  }

  // --- access after the door (issue 13, item 4): private at once, tokens that expire ---

  /** The room just turned private: every socket without a token goes now, and a snapshot carries the flag. */
  async #turnPrivate(newcomer: Connection<PeerState>): Promise<void> {
    for (const connection of this.#openConnections(newcomer.id)) {
      if (!mayStayInPrivateRoom(peerState(connection)))
        await this.#evict(connection, CloseCode.tokenRequired);
    }
    const due = this.snapshots.noteAccessChange();
    if (due !== undefined) await this.#wakeBy(due);
  }

  async #closeExpiredTokens(): Promise<void> {
    const now = Date.now();
    for (const connection of this.#openConnections("")) {
      if (tokenHasExpired(peerState(connection), now)) await this.#evict(connection, CloseCode.tokenExpired);
    }
  }

  /** Closes a socket from this side and lets everyone see it leave, without waiting for its close frame. */
  async #evict(connection: Connection<PeerState>, code: CloseCode): Promise<void> {
    const peer = peerState(connection);
    connection.close(code, CLOSE_REASONS[code].reason);
    await this.onClose(connection);
    // Its close frame will call onClose again: leave nothing for that second call to undo.
    connection.setState({ ...peer, appLane: false, typing: false, awareness: [] });
  }

  // --- end of access after the door ---

  override async onMessage(connection: Connection<PeerState>, message: WSMessage): Promise<void> {
    // A socket refused at connect (room full) never got state; what it sends is not read.
    if (connection.state === null) return;
    // Nor is what was still in flight when the room closed a socket (flooding, malformed frames).
    if (connection.readyState !== WebSocket.OPEN) return;
    const peer = peerState(connection);
    // Checked on every frame: the alarm may not have run yet when a token expires.
    if (tokenHasExpired(peer, Date.now())) {
      await this.#evict(connection, CloseCode.tokenExpired);
      return;
    }
    const reaction =
      typeof message === "string"
        ? this.room.receiveText(connection.id, peer, message)
        : this.room.receiveBinary(connection.id, peer, toBytes(message));
    if (reaction.peer) connection.setState(reaction.peer);
    // No await needed between the write and the sends: the output gate holds
    // every frame sent here until the SQLite write above is durable.
    this.#deliver(connection, reaction.out);
    this.#schedulePointerFlush();
    if (reaction.edited) {
      const due = this.snapshots.noteEdit(editorName(reaction.peer ?? peer));
      if (due !== undefined) await this.#wakeBy(due);
    }
    if (reaction.versionRequested !== undefined)
      await this.#sendVersion(connection, reaction.versionRequested);
  }

  override async onClose(connection: Connection<PeerState>, code?: number): Promise<void> {
    // partyserver echoes a client's close frame, but not one without a status code (1005, as
    // y-websocket and a bare `close()` send); answer it, or that client waits ~20 s for a 1006.
    if (code === NO_STATUS_RECEIVED) closeNormally(connection);
    this.#deliver(connection, this.room.leave(connection.id, peerState(connection)).out);
    this.#schedulePointerFlush();
    if (this.#openConnections(connection.id).length > 0) return;
    this.room.compact();
    const due = this.snapshots.flushSoon();
    if (due !== undefined) await this.#wakeBy(due);
  }

  /**
   * The one alarm does three jobs, all of which must survive hibernation and
   * eviction: closing sockets that went silent, closing sockets whose token
   * expired, and writing due snapshots (retries back off, see Snapshotter).
   */
  override async onAlarm(): Promise<void> {
    await this.#closeSilentSockets();
    await this.#closeExpiredTokens();
    await this.#saveSnapshotIfDue();
    const next: number[] = [];
    const open = this.#openConnections("");
    if (open.length > 0) next.push(Date.now() + LIMITS.heartbeatSweepMs);
    const expiry = earliestTokenExpiry(open.map(peerState));
    if (expiry !== undefined) next.push(expiry);
    const due = this.snapshots.dueAt();
    if (due !== undefined) next.push(due);
    if (next.length > 0) await this.ctx.storage.setAlarm(Math.min(...next));
  }

  /**
   * A socket whose heartbeat went quiet (network cut, process killed, no
   * close frame) is closed and removed from presence, so nobody lingers as a ghost.
   */
  async #closeSilentSockets(): Promise<void> {
    const now = Date.now();
    for (const connection of this.getConnections<PeerState>()) {
      const peer = peerState(connection);
      if (!peer.appLane || connection.readyState !== WebSocket.OPEN) continue;
      const lastBeat = this.ctx.getWebSocketAutoResponseTimestamp(connection)?.getTime() ?? 0;
      if (now - Math.max(lastBeat, peer.since ?? now) <= LIMITS.heartbeatTimeoutMs) continue;
      await this.#evict(connection, CloseCode.heartbeatTimeout);
    }
  }

  async #saveSnapshotIfDue(): Promise<void> {
    try {
      const saved = await this.snapshots.runIfDue(this.room.document.doc, this.access.flags());
      if (saved) this.#broadcastApp({ type: "versions", versions: this.snapshots.versions() });
    } catch (error) {
      // A failed put is logged and backed off inside the Snapshotter; this is anything after it (pruning).
      console.error(`Edgeroom: snapshot upkeep for room ${this.name} failed:`, error);
    }
  }

  async #sendVersion(connection: Connection<PeerState>, at: number): Promise<void> {
    const answer = await this.versionReader.request(connection.id, at);
    if (answer.kind === "failed") console.error("Edgeroom: reading a version failed:", answer.error);
    const reply = versionReply(at, answer);
    if (connection.readyState === WebSocket.OPEN) connection.send(JSON.stringify(reply));
  }

  /** Sets the alarm to `time` unless it is already set to go off sooner. */
  async #wakeBy(time: number): Promise<void> {
    const current = await this.ctx.storage.getAlarm();
    if (current === null || current > time) await this.ctx.storage.setAlarm(time);
  }

  #schedulePointerFlush(): void {
    if (this.#pointerFlush !== undefined || !this.room.pointers.hasPending) return;
    this.#pointerFlush = setTimeout(() => {
      this.#pointerFlush = undefined;
      const recipients = new Map(
        this.#openConnections("")
          .filter((c) => peerState(c).appLane)
          .map((c) => [c.id, c]),
      );
      for (const [id, frame] of this.room.flushPointers(recipients.keys())) {
        recipients.get(id)?.send(JSON.stringify(frame));
      }
    }, LIMITS.pointerTickMs);
  }

  override async onError(connection: Connection<PeerState>): Promise<void> {
    await this.onClose(connection);
  }

  override onRequest(): Response {
    return new Response("This endpoint speaks WebSocket only.", { status: 426 });
  }

  #openConnections(exceptId: string): Connection<PeerState>[] {
    return [...this.getConnections<PeerState>()].filter(
      (c) => c.id !== exceptId && c.readyState === WebSocket.OPEN,
    );
  }

  #broadcastApp(message: ServerAppMessage): void {
    const text = JSON.stringify(message);
    for (const connection of this.#openConnections(""))
      if (peerState(connection).appLane) connection.send(text);
  }

  #deliver(sender: Connection<PeerState>, out: readonly Outbound[]): void {
    for (const item of out) {
      if ("close" in item) {
        sender.close(item.close.code, item.close.reason);
      } else if ("app" in item) {
        const text = JSON.stringify(item.app);
        if (item.to === "sender") sender.send(text);
        else
          for (const other of this.#openConnections(sender.id))
            if (peerState(other).appLane) other.send(text);
      } else if (item.to === "sender") {
        sender.send(item.binary);
      } else {
        for (const other of this.#openConnections(sender.id)) other.send(item.binary);
      }
    }
  }
}

function versionReply(at: number, answer: VersionAnswer): ServerAppMessage {
  switch (answer.kind) {
    case "text":
      return { type: "version", at, text: answer.text };
    case "not-found":
      return { type: "error", code: ErrorCode.versionNotFound, message: "no saved version has that time" };
    case "busy":
      return {
        type: "error",
        code: ErrorCode.rateLimited,
        message: "wait for the version you asked for before asking for another",
      };
    case "failed":
      return {
        type: "error",
        code: ErrorCode.versionsUnavailable,
        message: "could not read that version just now",
      };
  }
}

/** Who a version names as its editor: the hello name, else the awareness name stock clients publish. */
function editorName(peer: PeerState): string {
  if (peer.user) return peer.user.name;
  for (const entry of peer.awareness) {
    const user = readAwarenessUser(readAwarenessStateJson(entry.stateJson));
    if (user) return user.name;
  }
  return "Someone";
}

function peerState(connection: Connection<PeerState>): PeerState {
  return (connection.state as PeerState | null) ?? NEW_PEER;
}

function toBytes(message: ArrayBuffer | ArrayBufferView): Uint8Array {
  return message instanceof ArrayBuffer
    ? new Uint8Array(message)
    : new Uint8Array(message.buffer, message.byteOffset, message.byteLength);
}
