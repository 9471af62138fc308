import {
  MemoryUpdateStore,
  type StateSummary,
  type UpdateStore,
} from "../../worker/src/room/update-store.ts";

/**
 * The in-memory store with byte and log counters kept as it goes, as the SQLite store keeps them
 * (`MemoryUpdateStore` adds up its whole log on every `byteSize()`, which would be timed here).
 */
export class CountingUpdateStore implements UpdateStore {
  readonly #inner = new MemoryUpdateStore();
  #bytes = 0;
  #logBytes = 0;
  #log = 0;
  load(): Uint8Array[] {
    return this.#inner.load();
  }
  loadLog(): Uint8Array[] {
    return this.#inner.loadLog();
  }
  append(update: Uint8Array): void {
    this.#inner.append(update);
    this.#bytes += update.byteLength;
    this.#logBytes += update.byteLength;
    this.#log += 1;
  }
  replaceWith(state: Uint8Array, summary?: StateSummary): void {
    this.#inner.replaceWith(state, summary);
    this.#bytes = state.byteLength;
    this.#logBytes = 0;
    this.#log = 0;
  }
  summary(): StateSummary | undefined {
    return this.#inner.summary();
  }
  logLength(): number {
    return this.#log;
  }
  logBytes(): number {
    return this.#logBytes;
  }
  byteSize(): number {
    return this.#bytes;
  }
}
