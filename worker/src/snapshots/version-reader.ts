/**
 * Serves saved versions' text without letting requests pile up decoded
 * documents: one version is read and decoded at a time for the whole room,
 * the last one decoded is kept for whoever asks for it next (people looking
 * at history together usually look at the same version), and each socket
 * waits for at most one answer at a time.
 */
export type VersionAnswer =
  | { kind: "text"; text: string }
  | { kind: "not-found" }
  | { kind: "busy" }
  | { kind: "failed"; error: unknown };

export class VersionReader {
  readonly #read: (at: number) => Promise<string | undefined>;
  #queue: Promise<unknown> = Promise.resolve();
  #last: { at: number; text: string } | undefined;
  readonly #waiting = new Set<string>();

  constructor(read: (at: number) => Promise<string | undefined>) {
    this.#read = read;
  }

  /** Sockets waiting for an answer; zero once all are answered. */
  get waiting(): number {
    return this.#waiting.size;
  }

  async request(peerId: string, at: number): Promise<VersionAnswer> {
    if (this.#waiting.has(peerId)) return { kind: "busy" };
    this.#waiting.add(peerId);
    const answer = this.#queue.then(() => this.#answer(at));
    this.#queue = answer;
    try {
      return await answer;
    } finally {
      this.#waiting.delete(peerId);
    }
  }

  /** A restore or a new snapshot does not change a saved version, so the cache stays valid. */
  async #answer(at: number): Promise<VersionAnswer> {
    if (this.#last?.at === at) return { kind: "text", text: this.#last.text };
    try {
      const text = await this.#read(at);
      if (text === undefined) return { kind: "not-found" };
      this.#last = { at, text };
      return { kind: "text", text };
    } catch (error) {
      return { kind: "failed", error };
    }
  }
}
