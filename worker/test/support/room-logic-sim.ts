/**
 * The room logic behind testkit's in-memory network: it keeps each
 * connection's peer state, as the Durable Object does in the socket
 * attachment, and turns each reaction into the frames the network carries.
 */
import type { Delivery, Frame, SimRoom } from "@edgeroom/testkit";
import type * as Y from "yjs";
import { MemoryChatStore } from "../../src/room/chat-store.ts";
import { NEW_PEER, type PeerState, type Reaction } from "../../src/room/reaction.ts";
import { RoomLogic } from "../../src/room/room-logic.ts";
import { MemoryUpdateStore } from "../../src/room/update-store.ts";

export class RoomLogicSim implements SimRoom {
  /** The room's clock (ms), moved by the test. */
  clock = 0;
  readonly logic = new RoomLogic(
    { updates: new MemoryUpdateStore(), chat: new MemoryChatStore() },
    () => this.clock,
    () => this.clock,
  );
  readonly #peers = new Map<string, PeerState>();

  get doc(): Y.Doc {
    return this.logic.document.doc;
  }

  join(connection: string): Delivery[] {
    this.#peers.set(connection, NEW_PEER);
    return this.#deliveries(this.logic.join(connection, NEW_PEER));
  }

  leave(connection: string): Delivery[] {
    const peer = this.#peers.get(connection) ?? NEW_PEER;
    this.#peers.delete(connection);
    return this.#deliveries(this.logic.leave(connection, peer));
  }

  receive(connection: string, frame: Frame): Delivery[] {
    const peer = this.#peers.get(connection) ?? NEW_PEER;
    const reaction =
      typeof frame === "string"
        ? this.logic.receiveText(connection, peer, frame)
        : this.logic.receiveBinary(connection, peer, frame);
    if (reaction.peer) this.#peers.set(connection, reaction.peer);
    return this.#deliveries(reaction);
  }

  #deliveries(reaction: Reaction): Delivery[] {
    return reaction.out.map((item) => {
      if ("close" in item) return { close: item.close };
      return { to: item.to, frame: "app" in item ? JSON.stringify(item.app) : item.binary };
    });
  }
}
