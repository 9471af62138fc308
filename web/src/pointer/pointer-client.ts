/**
 * Live pointers for one room over the app lane. Sends this person's pointer
 * at an adaptive rate (about 30/s with others here, 1/s alone, nothing while
 * it is still) and keeps everyone else's newest position, as the room's
 * batches deliver them. Ephemeral: nothing here is stored anywhere.
 */
import { LIMITS, type Pointer, type PointerEntry, type User } from "@edgeroom/shared";
import { createStore } from "zustand/vanilla";
import type { RoomConnection } from "../connection/room-connection.ts";

export interface RemotePointer {
  user: User;
  at: NonNullable<Pointer>;
  /** When this browser last heard it move (Date.now()): the caret labels compare it with the caret's. */
  movedAt: number;
}

export class PointerClient {
  readonly store = createStore<{ remotes: Record<string, RemotePointer> }>()(() => ({ remotes: {} }));
  readonly #connection: RoomConnection;
  readonly #cleanups: Array<() => void> = [];
  #lastSent = 0;
  #pending: Pointer | undefined;
  #timer: ReturnType<typeof setTimeout> | undefined;
  #lastValue: string | undefined;

  constructor(connection: RoomConnection) {
    this.#connection = connection;
    this.#cleanups.push(
      connection.lane.on("pointers", (message) => this.#apply(message.moves)),
      // Whoever we knew about is unknown once the socket drops; the next batch brings them back.
      connection.state.subscribe((state, previous) => {
        if (state.status !== previous.status && state.status !== "synced")
          this.store.setState({ remotes: {} });
      }),
    );
  }

  /** Call on every pointer move (or `null` when it leaves the document); sends at most at the current rate. */
  move(at: Pointer): void {
    const value = JSON.stringify(at);
    if (value === this.#lastValue && this.#pending === undefined) return;
    this.#pending = at;
    const wait = this.#lastSent + this.#interval() - Date.now();
    if (wait <= 0) this.#flush();
    else this.#timer ??= setTimeout(() => this.#flush(), wait);
  }

  destroy(): void {
    clearTimeout(this.#timer);
    for (const cleanup of this.#cleanups.splice(0)) cleanup();
  }

  #interval(): number {
    const othersHere = this.#connection.presence.getState().people.some((p) => !p.isSelf);
    return othersHere ? LIMITS.pointerIntervalWithPeersMs : LIMITS.pointerIntervalAloneMs;
  }

  #flush(): void {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    if (this.#pending === undefined) return;
    const at = this.#pending;
    if (this.#connection.lane.send({ type: "pointer", at })) {
      this.#lastValue = JSON.stringify(at);
      this.#lastSent = Date.now();
    }
    this.#pending = undefined;
  }

  #apply(moves: PointerEntry[]): void {
    const now = Date.now();
    this.store.setState((state) => {
      const remotes = { ...state.remotes };
      for (const move of moves) {
        if (move.at === null) delete remotes[move.key];
        else remotes[move.key] = { user: move.user, at: move.at, movedAt: now };
      }
      return { remotes };
    });
  }
}
