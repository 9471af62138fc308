/**
 * The room's Durable Object: a thin shell that adapts partyserver's
 * hibernating connections to `YRoom`. partyserver keeps per-socket state in
 * WebSocket attachments and runs `onStart` (inside blockConcurrencyWhile)
 * again after every wake, which is exactly the hibernation contract we need.
 * We do not use y-partyserver: it saves the document on a debounce, and our
 * rule is that an update is stored before it is acknowledged or relayed.
 */
import { Server, type Connection, type WSMessage } from "partyserver";
import { NEW_PEER, type Outbound, type PeerState } from "./reaction.ts";
import { RoomLogic } from "./room-logic.ts";
import { SqliteChatStore } from "./sqlite-chat-store.ts";
import { SqliteUpdateStore } from "./sqlite-update-store.ts";

export class Room extends Server<Env> {
  static override options = { hibernate: true };

  #room: RoomLogic | undefined;

  get room(): RoomLogic {
    if (!this.#room) throw new Error("room used before onStart");
    return this.#room;
  }

  override onStart(): void {
    this.#room = new RoomLogic({
      updates: new SqliteUpdateStore(this.ctx.storage),
      chat: new SqliteChatStore(this.ctx.storage.sql),
    });
    this.room.restorePeers(
      [...this.getConnections<PeerState>()].map((c) => ({ id: c.id, state: peerState(c) })),
    );
  }

  override onConnect(connection: Connection<PeerState>): void {
    connection.setState(NEW_PEER);
    this.#deliver(connection, this.room.join().out);
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
  }

  override onClose(connection: Connection<PeerState>): void {
    this.#deliver(connection, this.room.leave(connection.id, peerState(connection)).out);
    if (this.#openConnections(connection.id).length === 0) this.room.compact();
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
