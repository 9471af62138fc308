/**
 * The room's Durable Object: a shell that turns workerd's events into calls
 * on `RoomLogic` and carries out the effects it returns (room/effects.ts).
 * partyserver keeps per-socket state in WebSocket attachments and runs
 * `onStart` (inside blockConcurrencyWhile) again after every wake, which is
 * exactly the hibernation contract we need. We do not use y-partyserver: it
 * saves the document on a debounce, and our rule is that an update is
 * stored before it is acknowledged or relayed.
 */
import { CLOSE_REASONS, CloseCode, HEARTBEAT_PING, HEARTBEAT_PONG } from "@edgeroom/shared";
import { Server, type Connection, type ConnectionContext, type WSMessage } from "partyserver";
import type { Effect, Frame, RoomSocket } from "../room/effects.ts";
import { NEW_PEER, type PeerState } from "../room/reaction.ts";
import { RoomLogic } from "../room/room-logic.ts";
import { VersionReader } from "../snapshots/version-reader.ts";
import { noteRoomStart } from "./bench-probe.ts";
import { RoomAccess } from "./room-access.ts";
import { guardSetup } from "./setup-guard.ts";
import { R2SnapshotArchive } from "./snapshot-archive.ts";
import { Snapshotter } from "./snapshotter.ts";
import { SqliteChatStore } from "./sqlite-chat-store.ts";
import { SqliteUpdateStore } from "./sqlite-update-store.ts";

type Socket = Connection<PeerState>;
interface Parts {
  room: RoomLogic;
  access: RoomAccess;
  snapshots: Snapshotter;
  versionReader: VersionReader;
}
const NO_STATUS_RECEIVED = 1005;

export class Room extends Server<Env> {
  static override options = { hibernate: true };
  #parts: Parts | undefined;
  /** The one timer: a pointer flush, pending only while moves wait. Pointers are ephemeral, so eviction loses nothing. */
  #pointerFlush: ReturnType<typeof setTimeout> | undefined;

  get room(): RoomLogic {
    return this.#started().room;
  }
  get versionReader(): VersionReader {
    return this.#started().versionReader;
  }

  /** partyserver would name the socket after the client's `_pk`; rate limits, awareness and capacity need the server's id. */
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
  override onConnect(connection: Socket, ctx: ConnectionContext): Promise<void> {
    return guardSetup("connecting a socket", async () => {
      const admission = this.#parts?.access.admit(ctx.request) ?? { ok: false, code: CloseCode.tokenInvalid };
      await this.#run(
        this.room.opened(connection.id, admission, this.#open(connection.id), Date.now()),
        connection,
      );
    });
  }

  async #start(): Promise<void> {
    noteRoomStart(this.name);
    // Heartbeats are answered by workerd itself, without waking the object.
    this.ctx.setWebSocketAutoResponse(new WebSocketRequestResponsePair(HEARTBEAT_PING, HEARTBEAT_PONG));
    const { sql } = this.ctx.storage;
    const access = new RoomAccess(sql);
    const updates = new SqliteUpdateStore(this.ctx.storage);
    const snapshots = new Snapshotter(sql, new R2SnapshotArchive(this.env.SNAPSHOTS), this.name);
    // Access first: the room admits no socket before it knows it is private (onStart blocks them).
    const restoredAccess = await snapshots.restoreIfEmpty(updates);
    if (restoredAccess) access.restore(restoredAccess);
    const room = new RoomLogic(
      { updates, chat: new SqliteChatStore(sql), versions: snapshots },
      Date.now,
      Date.now,
      this.name,
    );
    room.restorePeers([...this.getConnections<PeerState>()].map((c) => ({ id: c.id, state: peerState(c) })));
    this.#parts = { room, access, snapshots, versionReader: new VersionReader((at) => snapshots.text(at)) };
  }

  override async onMessage(connection: Socket, message: WSMessage): Promise<void> {
    // A socket refused at connect never got state, and frames still in flight when the room closed one are not read.
    if (connection.state === null || connection.readyState !== WebSocket.OPEN) return;
    const frame = typeof message === "string" ? message : toBytes(message);
    // `received` writes to SQLite before it returns, and no await comes between that write and the sends:
    // the output gate holds every frame sent here until the write is durable.
    await this.#run(this.room.received(connection.id, peerState(connection), frame, Date.now()), connection);
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

  /** The one alarm (`RoomLogic.alarm` says what it does); heartbeat times are workerd's, read here. */
  override async onAlarm(): Promise<void> {
    await this.#run(this.room.alarm(Date.now(), this.#open("", true)));
  }
  override onRequest(): Response {
    return new Response("This endpoint speaks WebSocket only.", { status: 426 });
  }

  /** Carries out effects in order; only slow ones are awaited, so sends go out before any await. */
  async #run(effects: readonly Effect[], current?: Socket): Promise<void> {
    for (const effect of effects) {
      const pending = this.#carryOut(effect, current);
      if (pending) await pending;
    }
  }

  #carryOut(effect: Effect, current: Socket | undefined): Promise<void> | undefined {
    const { snapshots } = this.#started();
    switch (effect.kind) {
      case "send": {
        const socket = this.#socket(effect.socket, current);
        if (socket?.readyState === WebSocket.OPEN) socket.send(encode(effect.frame));
        return;
      }
      case "broadcast": {
        const data = encode(effect.frame);
        for (const c of this.getConnections<PeerState>()) {
          if (c.id === effect.except || c.readyState !== WebSocket.OPEN) continue;
          if (effect.lane === "all" || peerState(c).appLane) c.send(data);
        }
        return;
      }
      case "close":
        return void this.#socket(effect.socket, current)?.close(effect.code, effect.reason);
      case "evict":
        return this.#evict(effect.socket, effect.code, current);
      case "set-peer":
        return void this.#socket(effect.socket, current)?.setState(effect.peer);
      case "wake-by":
        return this.#wakeBy(effect.at);
      case "note-edit":
        return this.#wakeBy(snapshots.noteEdit(effect.editor));
      case "note-access-change":
        return this.#wakeBy(snapshots.noteAccessChange());
      case "flush-snapshot-soon":
        return this.#wakeBy(snapshots.flushSoon());
      case "save-snapshot":
        return this.#saveSnapshot();
      case "plan-alarm": {
        const next = Math.min(effect.at ?? Infinity, snapshots.dueAt() ?? Infinity);
        return next === Infinity ? undefined : this.ctx.storage.setAlarm(next);
      }
      case "read-version":
        return this.#readVersion(effect.socket, effect.at);
      case "flush-pointers":
        return this.#flushPointersIn(effect.afterMs);
    }
  }

  #flushPointersIn(ms: number): undefined {
    if (this.#pointerFlush !== undefined) return;
    this.#pointerFlush = setTimeout(() => {
      this.#pointerFlush = undefined;
      void this.#run(this.room.pointerTick(this.#open("")));
    }, ms);
  }

  /** Closes a socket from this side and lets everyone see it leave, without waiting for its close frame. */
  async #evict(id: string, code: CloseCode, current: Socket | undefined): Promise<void> {
    const socket = this.#socket(id, current);
    if (!socket) return;
    socket.close(code, CLOSE_REASONS[code].reason);
    await this.#closed(socket, true);
  }

  #closed(socket: Socket, evicted: boolean): Promise<void> {
    const effects = this.room.closed(socket.id, peerState(socket), this.#open(socket.id).length, evicted);
    return this.#run(effects, socket);
  }

  async #saveSnapshot(): Promise<void> {
    const { room, access, snapshots } = this.#started();
    try {
      if (await snapshots.runIfDue(() => room.documentState(), access.flags()))
        await this.#run(room.versionsSaved(snapshots.versions()));
    } catch (error) {
      // A failed put is logged and backed off inside the Snapshotter; this is anything after it (pruning).
      console.error(`Edgeroom: snapshot upkeep for room ${this.name} failed:`, error);
    }
  }

  async #readVersion(id: string, at: number): Promise<void> {
    const answer = await this.versionReader.request(id, at);
    await this.#run(this.room.versionRead(id, at, answer));
  }

  /** Sets the alarm to `time` unless it is already set to go off sooner. */
  async #wakeBy(time: number | undefined): Promise<void> {
    if (time === undefined) return;
    const current = await this.ctx.storage.getAlarm();
    if (current === null || current > time) await this.ctx.storage.setAlarm(time);
  }

  /** Open sockets but `exceptId`; with when workerd last answered each one's heartbeat, for the alarm. */
  #open(exceptId: string, withHeartbeats = false): RoomSocket[] {
    const open: RoomSocket[] = [];
    for (const c of this.getConnections<PeerState>()) {
      if (c.id === exceptId || c.readyState !== WebSocket.OPEN) continue;
      const lastHeartbeat = withHeartbeats
        ? this.ctx.getWebSocketAutoResponseTimestamp(c)?.getTime()
        : undefined;
      open.push({ id: c.id, peer: peerState(c), lastHeartbeat });
    }
    return open;
  }

  #socket(id: string, current: Socket | undefined): Socket | undefined {
    return current?.id === id ? current : this.getConnection<PeerState>(id);
  }

  #started(): Parts {
    if (!this.#parts) throw new Error("room used before onStart");
    return this.#parts;
  }
}

function peerState(connection: Socket): PeerState {
  return (connection.state as PeerState | null) ?? NEW_PEER;
}

function encode(frame: Frame): string | Uint8Array {
  return frame instanceof Uint8Array ? frame : JSON.stringify(frame);
}

function toBytes(message: ArrayBuffer | ArrayBufferView): Uint8Array {
  return message instanceof ArrayBuffer
    ? new Uint8Array(message)
    : new Uint8Array(message.buffer, message.byteOffset, message.byteLength);
}

function closeQuietly(connection: Socket): void {
  try {
    connection.close(1000, "closed");
  } catch {
    // already closed from this side
  }
}
