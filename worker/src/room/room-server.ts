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
  readAwarenessUser,
  type ServerAppMessage,
} from "@edgeroom/shared";
import { Server, type Connection, type ConnectionContext, type WSMessage } from "partyserver";
import { R2SnapshotArchive } from "../snapshots/snapshot-archive.ts";
import { Snapshotter } from "../snapshots/snapshotter.ts";
import { noteRoomStart } from "./bench-probe.ts";
import { NEW_PEER, type Outbound, type PeerState } from "./reaction.ts";
import { roomIsFull } from "./capacity.ts";
import { RoomAccess } from "./room-access.ts";
import { RoomLogic } from "./room-logic.ts";
import { SqliteChatStore } from "./sqlite-chat-store.ts";
import { SqliteUpdateStore } from "./sqlite-update-store.ts";
import { verifiedPeer } from "./verified-peer.ts";

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

  /** After a failed snapshot write, wait this long before trying again. */
  static readonly snapshotRetryMs = 5_000;

  #room: RoomLogic | undefined;
  #snapshots: Snapshotter | undefined;
  /** Kept in memory only: after an eviction the next alarm simply tries at once. */
  #snapshotRetryAt = 0;
  #access: RoomAccess | undefined;
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

  get snapshots(): Snapshotter {
    if (!this.#snapshots) throw new Error("snapshots used before onStart");
    return this.#snapshots;
  }

  override async onStart(): Promise<void> {
    noteRoomStart(this.name);
    // Heartbeats are answered by workerd itself, without waking the object.
    this.ctx.setWebSocketAutoResponse(new WebSocketRequestResponsePair(HEARTBEAT_PING, HEARTBEAT_PONG));
    this.#access = new RoomAccess(this.ctx.storage.sql);
    const updates = new SqliteUpdateStore(this.ctx.storage);
    const snapshots = new Snapshotter(
      this.ctx.storage.sql,
      new R2SnapshotArchive(this.env.SNAPSHOTS),
      this.name,
    );
    await snapshots.restoreIfEmpty(updates);
    this.#snapshots = snapshots;
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

  override async onConnect(connection: Connection<PeerState>, ctx: ConnectionContext): Promise<void> {
    const admission = this.#access?.admit(ctx.request);
    if (!admission?.ok) {
      const code = admission?.code ?? CloseCode.tokenInvalid;
      connection.close(code, CLOSE_REASONS[code].reason);
      return;
    }
    if (roomIsFull(this.#openConnections(connection.id).length)) {
      connection.close(CloseCode.roomFull, CLOSE_REASONS[CloseCode.roomFull].reason);
      return;
    }
    connection.setState({ ...NEW_PEER, since: Date.now(), ...verifiedPeer(admission.verified) });
    this.#deliver(connection, this.room.join().out);
    await this.#wakeBy(Date.now() + LIMITS.heartbeatSweepMs);
  }

  override async onMessage(connection: Connection<PeerState>, message: WSMessage): Promise<void> {
    // A socket refused at connect (room full) never got state; what it sends is not read.
    if (connection.state === null) return;
    // Nor is what was still in flight when the room closed a socket (flooding, malformed frames).
    if (connection.readyState !== WebSocket.OPEN) return;
    const peer = peerState(connection);
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
   * The one alarm does two jobs, both of which must survive hibernation and
   * eviction: closing sockets that went silent, and writing due snapshots.
   */
  override async onAlarm(): Promise<void> {
    await this.#closeSilentSockets();
    await this.#saveSnapshotIfDue();
    const next: number[] = [];
    if (this.#openConnections("").length > 0) next.push(Date.now() + LIMITS.heartbeatSweepMs);
    const due = this.snapshots.dueAt();
    if (due !== undefined) next.push(Math.max(due, this.#snapshotRetryAt));
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
      connection.close(CloseCode.heartbeatTimeout, CLOSE_REASONS[CloseCode.heartbeatTimeout].reason);
      await this.onClose(connection);
      connection.setState({ ...peer, appLane: false, typing: false, awareness: [] });
    }
  }

  async #saveSnapshotIfDue(): Promise<void> {
    try {
      const saved = await this.snapshots.runIfDue(this.room.document.doc);
      if (saved) this.#broadcastApp({ type: "versions", versions: this.snapshots.versions() });
    } catch (error) {
      // R2 can fail for a moment; the room stays dirty, so a later alarm writes it.
      console.error("Edgeroom: snapshot write failed, will retry:", error);
      this.#snapshotRetryAt = Date.now() + Room.snapshotRetryMs;
    }
  }

  async #sendVersion(connection: Connection<PeerState>, at: number): Promise<void> {
    let reply: ServerAppMessage;
    try {
      const text = await this.snapshots.text(at);
      reply =
        text === undefined
          ? { type: "error", code: ErrorCode.versionNotFound, message: "no saved version has that time" }
          : { type: "version", at, text };
    } catch (error) {
      console.error("Edgeroom: reading a version failed:", error);
      reply = {
        type: "error",
        code: ErrorCode.versionsUnavailable,
        message: "could not read that version just now",
      };
    }
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

/** Who a version names as its editor: the hello name, else the awareness name stock clients publish. */
function editorName(peer: PeerState): string {
  if (peer.user) return peer.user.name;
  for (const entry of peer.awareness) {
    const user = readAwarenessUser(safeJson(entry.stateJson));
    if (user) return user.name;
  }
  return "Someone";
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function peerState(connection: Connection<PeerState>): PeerState {
  return (connection.state as PeerState | null) ?? NEW_PEER;
}

function toBytes(message: ArrayBuffer | ArrayBufferView): Uint8Array {
  return message instanceof ArrayBuffer
    ? new Uint8Array(message)
    : new Uint8Array(message.buffer, message.byteOffset, message.byteLength);
}
