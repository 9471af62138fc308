/**
 * The room's name (its title; `""` is none): kept in the room's storage,
 * told to every socket right after its welcome and to everyone when it
 * changes. Free of sockets and Workers like the rest of the room logic.
 */
import type { ServerAppMessage } from "@edgeroom/shared";
import type { Reaction } from "./reaction.ts";

/** Where the name lives: one value per room that survives eviction (SQLite in the Durable Object). */
export interface RoomNameStore {
  read(): string;
  write(name: string): void;
}

/** For unit tests of room logic in plain Node. */
export class MemoryRoomNameStore implements RoomNameStore {
  #name = "";
  read(): string {
    return this.#name;
  }
  write(name: string): void {
    this.#name = name;
  }
}

export class RoomName {
  readonly #store: RoomNameStore;
  /** Read once per start: the store is written only through `rename`. */
  #name: string;

  constructor(store: RoomNameStore) {
    this.#store = store;
    this.#name = store.read();
  }

  get current(): string {
    return this.#name;
  }

  /** The `room-name` message for a socket that just said hello (or asked to rename to the same name). */
  message(): ServerAppMessage {
    return { type: "room-name", name: this.#name };
  }

  /**
   * `name` has passed the schema (trimmed, bounded, no forbidden characters).
   * The same name again writes nothing and reaches nobody else, so repeating
   * a rename costs the room no write and no broadcast.
   */
  rename(name: string): Reaction {
    if (name === this.#name) return { out: [{ to: "sender", app: this.message() }] };
    this.#store.write(name);
    this.#name = name;
    const app = this.message();
    return {
      out: [
        { to: "sender", app },
        { to: "others", app },
      ],
    };
  }
}
