/**
 * Where a room's document lives: a compacted state plus a log of updates
 * appended since. The room writes here before it acknowledges or relays an
 * update; in a Durable Object the output gate holds every outgoing frame
 * until that write is durable.
 */
export interface UpdateStore {
  /** The compacted state (if any) followed by every logged update, oldest first. */
  load(): Uint8Array[];
  append(update: Uint8Array): void;
  /** Replaces the state and the whole log with one merged update, atomically. */
  replaceWith(state: Uint8Array): void;
  /** Updates logged since the last compaction. */
  logLength(): number;
  /** Bytes held: compacted state plus logged updates. */
  byteSize(): number;
}

/** For unit tests of room logic in plain Node. */
export class MemoryUpdateStore implements UpdateStore {
  #state: Uint8Array | undefined;
  #log: Uint8Array[] = [];

  load(): Uint8Array[] {
    return this.#state ? [this.#state, ...this.#log] : [...this.#log];
  }
  append(update: Uint8Array): void {
    this.#log.push(update.slice());
  }
  replaceWith(state: Uint8Array): void {
    this.#state = state.slice();
    this.#log = [];
  }
  logLength(): number {
    return this.#log.length;
  }
  byteSize(): number {
    return this.load().reduce((sum, u) => sum + u.byteLength, 0);
  }
}
