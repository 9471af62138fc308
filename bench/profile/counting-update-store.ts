import { MemoryUpdateStore, type UpdateStore } from "../../worker/src/room/update-store.ts";

/**
 * The in-memory store with byte and log counters kept as it goes, as the SQLite store keeps them
 * (`MemoryUpdateStore` adds up its whole log on every `byteSize()`, which would be timed here).
 */
export class CountingUpdateStore implements UpdateStore {
  readonly #inner = new MemoryUpdateStore();
  #bytes = 0;
  #log = 0;
  load(): Uint8Array[] {
    return this.#inner.load();
  }
  append(update: Uint8Array): void {
    this.#inner.append(update);
    this.#bytes += update.byteLength;
    this.#log += 1;
  }
  replaceWith(state: Uint8Array): void {
    this.#inner.replaceWith(state);
    this.#bytes = state.byteLength;
    this.#log = 0;
  }
  logLength(): number {
    return this.#log;
  }
  byteSize(): number {
    return this.#bytes;
  }
}
