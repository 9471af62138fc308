/**
 * Where a room's document lives: a compacted state plus a log of updates
 * appended since. The room writes here before it acknowledges or relays an
 * update; in a Durable Object the output gate holds every outgoing frame
 * until that write is durable.
 */
export interface UpdateStore {
  /** The compacted state (if any) followed by every logged update, oldest first. */
  load(): Uint8Array[];
  /** The logged updates alone, oldest first. */
  loadLog(): Uint8Array[];
  append(update: Uint8Array): void;
  /**
   * Replaces the state and the whole log with one merged update, atomically, with `summary` of it
   * stored beside it (or any earlier summary dropped, when none is given).
   */
  replaceWith(state: Uint8Array, summary?: StateSummary): void;
  /** The summary stored with the compacted state, if there is one. */
  summary(): StateSummary | undefined;
  /** Updates logged since the last compaction. */
  logLength(): number;
  /** Bytes of those updates. */
  logBytes(): number;
  /** Bytes held: compacted state plus logged updates. */
  byteSize(): number;
}

/**
 * What a client that holds every struct of the compacted state can still
 * lack of it: its state vector, and the same state with no structs, only
 * its deletions. A woken room answers such a client (a reader reconnecting)
 * from these few bytes and the log, without reading or parsing the state.
 */
export interface StateSummary {
  stateVector: Uint8Array;
  deletes: Uint8Array;
}

/** For unit tests of room logic in plain Node. */
export class MemoryUpdateStore implements UpdateStore {
  #state: Uint8Array | undefined;
  #summary: StateSummary | undefined;
  #log: Uint8Array[] = [];

  load(): Uint8Array[] {
    return this.#state ? [this.#state, ...this.#log] : [...this.#log];
  }
  loadLog(): Uint8Array[] {
    return [...this.#log];
  }
  append(update: Uint8Array): void {
    this.#log.push(update.slice());
  }
  replaceWith(state: Uint8Array, summary?: StateSummary): void {
    this.#state = state.slice();
    this.#summary = summary && { stateVector: summary.stateVector.slice(), deletes: summary.deletes.slice() };
    this.#log = [];
  }
  summary(): StateSummary | undefined {
    return this.#summary;
  }
  logLength(): number {
    return this.#log.length;
  }
  logBytes(): number {
    return this.#log.reduce((sum, u) => sum + u.byteLength, 0);
  }
  byteSize(): number {
    return this.load().reduce((sum, u) => sum + u.byteLength, 0);
  }
}
