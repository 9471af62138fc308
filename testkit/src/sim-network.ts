/**
 * An in-memory network between headless clients and a room, whose frames
 * the test delivers by hand: each connection has a queue per direction, in
 * order and reliable while connected (as a WebSocket is); a disconnect
 * drops whatever was still queued both ways. The room is whatever the test
 * puts behind `SimRoom` (the worker's tests put its RoomLogic there).
 */
import { documentHash } from "@edgeroom/shared";
import * as Y from "yjs";
import { HeadlessClient } from "./headless-client.ts";
import { OPEN, type SocketLike } from "./socket-like.ts";

export type Frame = Uint8Array | string;

/** What the room sends in answer to one event: frames for the sender or everyone else, or a close. */
export type Delivery =
  { to: "sender" | "others"; frame: Frame } | { close: { code: number; reason: string } };

export interface SimRoom {
  join(connection: string): Delivery[];
  leave(connection: string): Delivery[];
  receive(connection: string, frame: Frame): Delivery[];
  /** The room's copy of the document, compared with the clients'. */
  readonly doc: Y.Doc;
}

/** One connection's socket: what the client sends waits in `up` until the test delivers it. */
class SimSocket implements SocketLike {
  readonly readyState = OPEN;
  readonly up: Frame[] = [];
  readonly down: Frame[] = [];
  #onMessage: Array<(event: { data: unknown }) => void> = [];
  #onClose: Array<(event: { code: number; reason: string }) => void> = [];

  send(data: string | Uint8Array | ArrayBuffer): void {
    this.up.push(typeof data === "string" ? data : new Uint8Array(data));
  }

  close(code = 1000, reason = ""): void {
    for (const listener of this.#onClose) listener({ code, reason });
  }

  addEventListener(type: "message" | "close" | "open", listener: (event: never) => void): void {
    // The overloads of SocketLike pair each type with its event; one body serves them all.
    if (type === "message") this.#onMessage.push(listener as (event: { data: unknown }) => void);
    if (type === "close") this.#onClose.push(listener as (event: { code: number; reason: string }) => void);
  }

  /** The client reads its oldest frame from the room. */
  deliver(): boolean {
    const frame = this.down.shift();
    if (frame === undefined) return false;
    for (const listener of this.#onMessage) listener({ data: frame });
    return true;
  }
}

export class SimClient {
  readonly doc = new Y.Doc();
  readonly text = this.doc.getText("content");
  connection: { id: string; socket: SimSocket; client: HeadlessClient } | undefined;
  #connections = 0;

  constructor(
    readonly name: string,
    readonly network: SimNetwork,
  ) {}

  connect(): void {
    if (this.connection) return;
    const socket = new SimSocket();
    const id = `${this.name}#${++this.#connections}`;
    // Records nothing (a long run would keep every frame); a frame the client cannot read fails the test.
    const client = new HeadlessClient(socket, { doc: this.doc, record: false, strict: true });
    this.connection = { id, socket, client };
    this.network.route(this, this.network.room.join(id));
  }

  disconnect(): void {
    if (!this.connection) return;
    const { id, socket } = this.connection;
    this.connection = undefined;
    socket.close();
    this.network.route(this, this.network.room.leave(id));
  }

  /** The room reads this client's oldest queued frame. */
  deliverUp(): boolean {
    const connection = this.connection;
    const frame = connection?.socket.up.shift();
    if (!connection || frame === undefined) return false;
    this.network.route(this, this.network.room.receive(connection.id, frame));
    return true;
  }

  /** This client reads its oldest frame from the room. */
  deliverDown(): boolean {
    return this.connection?.socket.deliver() ?? false;
  }
}

export class SimNetwork<Room extends SimRoom = SimRoom> {
  readonly clients: SimClient[];

  constructor(
    readonly room: Room,
    clientCount: number,
  ) {
    this.clients = Array.from({ length: clientCount }, (_, i) => new SimClient(`c${i}`, this));
  }

  route(sender: SimClient, deliveries: Delivery[]): void {
    for (const item of deliveries) {
      if ("close" in item) throw new Error(`the room closed ${sender.name}: ${item.close.reason}`);
      const targets = item.to === "sender" ? [sender] : this.clients.filter((c) => c !== sender);
      for (const target of targets) target.connection?.socket.down.push(item.frame);
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
    return [this.room.doc, ...this.clients.map((c) => c.doc)].map(documentHash);
  }
}
