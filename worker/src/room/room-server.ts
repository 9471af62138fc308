/**
 * The room's Durable Object: a thin shell that adapts partyserver's
 * hibernating connections to `YRoom`. partyserver keeps per-socket state in
 * WebSocket attachments and runs `onStart` (inside blockConcurrencyWhile)
 * again after every wake, which is exactly the hibernation contract we need.
 * We do not use y-partyserver: it saves the document on a debounce, and our
 * rule is that an update is stored before it is acknowledged or relayed.
 */
import { CLOSE_REASONS, CloseCode, HEARTBEAT_PING, HEARTBEAT_PONG, LIMITS } from "@edgeroom/shared";
import { Server, type Connection, type WSMessage } from "partyserver";
import { noteRoomStart } from "./bench-probe.ts";
import { NEW_PEER, type Outbound, type PeerState } from "./reaction.ts";
import { RoomLogic } from "./room-logic.ts";
import { SqliteChatStore } from "./sqlite-chat-store.ts";
import { SqliteUpdateStore } from "./sqlite-update-store.ts";

export class Room extends Server<Env> {
  static override options = { hibernate: true };

  #room: RoomLogic | undefined;
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

  override onStart(): void {
    noteRoomStart(this.name);
    // Heartbeats are answered by workerd itself, without waking the object.
    this.ctx.setWebSocketAutoResponse(new WebSocketRequestResponsePair(HEARTBEAT_PING, HEARTBEAT_PONG));
    this.#room = new RoomLogic({
      updates: new SqliteUpdateStore(this.ctx.storage),
      chat: new SqliteChatStore(this.ctx.storage.sql),
    });
    this.room.restorePeers(
      [...this.getConnections<PeerState>()].map((c) => ({ id: c.id, state: peerState(c) })),
    );
  }

  override async onConnect(connection: Connection<PeerState>): Promise<void> {
    connection.setState({ ...NEW_PEER, since: Date.now() });
    this.#deliver(connection, this.room.join().out);
    await this.#ensureSweep();
  }

  override onMessage(connection: Connection<PeerState>, message: WSMessage): void {
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
  }

  override onClose(connection: Connection<PeerState>): void {
    this.#deliver(connection, this.room.leave(connection.id, peerState(connection)).out);
    this.#schedulePointerFlush();
    if (this.#openConnections(connection.id).length === 0) this.room.compact();
  }

  /**
   * Every few seconds while anyone is connected: a socket whose heartbeat went
   * quiet (network cut, process killed, no close frame) is closed and removed
   * from presence, so nobody lingers as a ghost. Alarms, not timers, so this
   * keeps working across hibernation.
   */
  override async onAlarm(): Promise<void> {
    const now = Date.now();
    for (const connection of this.getConnections<PeerState>()) {
      const peer = peerState(connection);
      if (!peer.appLane || connection.readyState !== WebSocket.OPEN) continue;
      const lastBeat = this.ctx.getWebSocketAutoResponseTimestamp(connection)?.getTime() ?? 0;
      if (now - Math.max(lastBeat, peer.since ?? now) <= LIMITS.heartbeatTimeoutMs) continue;
      connection.close(CloseCode.heartbeatTimeout, CLOSE_REASONS[CloseCode.heartbeatTimeout].reason);
      this.onClose(connection);
      connection.setState({ ...peer, appLane: false, typing: false, awareness: [] });
    }
    await this.#ensureSweep();
  }

  async #ensureSweep(): Promise<void> {
    if (this.#openConnections("").length === 0) return;
    if ((await this.ctx.storage.getAlarm()) === null) {
      await this.ctx.storage.setAlarm(Date.now() + LIMITS.heartbeatSweepMs);
    }
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

  override onError(connection: Connection<PeerState>): void {
    this.onClose(connection);
  }

  override onRequest(): Response {
    return new Response("This endpoint speaks WebSocket only.", { status: 426 });
  }

  #openConnections(exceptId: string): Connection<PeerState>[] {
    return [...this.getConnections<PeerState>()].filter(
      (c) => c.id !== exceptId && c.readyState === WebSocket.OPEN,
    );
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

function peerState(connection: Connection<PeerState>): PeerState {
  return (connection.state as PeerState | null) ?? NEW_PEER;
}

function toBytes(message: ArrayBuffer | ArrayBufferView): Uint8Array {
  return message instanceof ArrayBuffer
    ? new Uint8Array(message)
    : new Uint8Array(message.buffer, message.byteOffset, message.byteLength);
}
