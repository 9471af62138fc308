/**
 * An in-memory network between Yjs clients and a RoomLogic, whose frames
 * the test delivers by hand: each connection has a queue per direction, in
 * order and reliable while connected (as a WebSocket is); a disconnect
 * drops whatever was still queued both ways.
 */
import {
  documentHash,
  encodeSyncStep1,
  encodeSyncStep2,
  encodeSyncUpdate,
  parseYFrame,
  PROTOCOL_VERSION,
} from "@edgeroom/shared";
import * as Y from "yjs";
import { MemoryChatStore } from "../../src/room/chat-store.ts";
import { NEW_PEER, type PeerState, type Reaction } from "../../src/room/reaction.ts";
import { RoomLogic } from "../../src/room/room-logic.ts";
import { MemoryUpdateStore } from "../../src/room/update-store.ts";

type Frame = Uint8Array | string;

export class SimClient {
  readonly doc = new Y.Doc();
  readonly text = this.doc.getText("content");
  connection: { id: string; peer: PeerState; up: Frame[]; down: Frame[] } | undefined;
  #connections = 0;

  constructor(
    readonly name: string,
    readonly network: SimNetwork,
  ) {
    this.doc.on("update", (update: Uint8Array, origin: unknown) => {
      if (origin !== this) this.connection?.up.push(encodeSyncUpdate(update));
    });
  }

  connect(): void {
    if (this.connection) return;
    this.connection = { id: `${this.name}#${++this.#connections}`, peer: NEW_PEER, up: [], down: [] };
    this.connection.up.push(JSON.stringify({ type: "hello", v: PROTOCOL_VERSION }));
    this.connection.up.push(encodeSyncStep1(this.doc));
    this.network.route(this, this.network.room.join(this.connection.id, NEW_PEER));
  }

  disconnect(): void {
    if (!this.connection) return;
    const { id, peer } = this.connection;
    this.connection = undefined;
    this.network.route(this, this.network.room.leave(id, peer));
  }

  /** The room reads this client's oldest queued frame. */
  deliverUp(): boolean {
    const connection = this.connection;
    const frame = connection?.up.shift();
    if (!connection || frame === undefined) return false;
    const { room } = this.network;
    const reaction =
      typeof frame === "string"
        ? room.receiveText(connection.id, connection.peer, frame)
        : room.receiveBinary(connection.id, connection.peer, frame);
    if (reaction.peer) connection.peer = reaction.peer;
    this.network.route(this, reaction);
    return true;
  }

  /** This client reads its oldest frame from the room. */
  deliverDown(): boolean {
    const frame = this.connection?.down.shift();
    if (frame === undefined) return false;
    if (typeof frame === "string") return true;
    const parsed = parseYFrame(frame);
    if (!parsed.ok) throw new Error(`the room sent a malformed frame: ${parsed.error}`);
    const message = parsed.value;
    if (message.kind === "sync-step1")
      this.connection?.up.push(encodeSyncStep2(this.doc, message.stateVector));
    if (message.kind === "sync-step2" || message.kind === "sync-update") {
      Y.applyUpdate(this.doc, message.update, this);
    }
    return true;
  }
}

export class SimNetwork {
  readonly room: RoomLogic;
  readonly clients: SimClient[];
  clock = 0;

  constructor(clientCount: number) {
    this.room = new RoomLogic(
      { updates: new MemoryUpdateStore(), chat: new MemoryChatStore() },
      () => this.clock,
      () => this.clock,
    );
    this.clients = Array.from({ length: clientCount }, (_, i) => new SimClient(`c${i}`, this));
  }

  route(sender: SimClient, reaction: Reaction): void {
    for (const item of reaction.out) {
      if ("close" in item) throw new Error(`the room closed ${sender.name}: ${item.close.reason}`);
      const frame = "app" in item ? JSON.stringify(item.app) : item.binary;
      const targets = item.to === "sender" ? [sender] : this.clients.filter((c) => c !== sender);
      for (const target of targets) target.connection?.down.push(frame);
    }
  }

  /** Connects everyone and delivers every queued frame until the network is quiet. */
  settle(): void {
    for (const client of this.clients) client.connect();
    let moved = true;
    while (moved) {
      moved = false;
      for (const client of this.clients) {
        while (client.deliverUp()) moved = true;
        while (client.deliverDown()) moved = true;
      }
    }
  }

  hashes(): string[] {
    return [this.room.document.doc, ...this.clients.map((c) => c.doc)].map(documentHash);
  }
}
