/**
 * Matches received updates to the edits that produced them by Yjs struct id
 * (`client:clock`), so latency is measured per edit and per recipient
 * whichever way a server re-encodes or merges updates on the way.
 */
import * as Y from "yjs";
import { summarize, type LatencySummary } from "./stats.ts";

export class EditTracker {
  readonly #sent = new Map<string, { at: number; sender: number }>();
  readonly #seen: Set<string>[] = [];
  /**
   * Struct ids per update as received: a server fans the same bytes out to every recipient, and
   * decoding them once, not once per recipient, keeps a thousand watchers cheap for the load generator.
   */
  readonly #decoded = new Map<string, string[]>();
  readonly latencies: number[] = [];
  /** Who received each entry of `latencies`. */
  readonly #latencyRecipients: number[] = [];
  delivered = 0;

  /** Sends one single-character edit from `doc` through `send` and remembers when. */
  edit(sender: number, doc: Y.Doc, send: (update: Uint8Array) => void): void {
    const clock = Y.getState(doc.store, doc.clientID);
    this.#sent.set(`${doc.clientID}:${clock}`, { at: performance.now(), sender });
    const text = doc.getText("content");
    let update: Uint8Array | undefined;
    const capture = (u: Uint8Array): void => void (update = u);
    doc.once("update", capture);
    text.insert(Math.floor(Math.random() * (text.length + 1)), "x");
    if (update) send(update);
  }

  received(recipient: number, update: Uint8Array): void {
    const now = performance.now();
    const seen = (this.#seen[recipient] ??= new Set());
    for (const key of this.#structIds(update)) {
      const sent = this.#sent.get(key);
      if (!sent || sent.sender === recipient || seen.has(key)) continue;
      seen.add(key);
      this.delivered += 1;
      this.latencies.push(now - sent.at);
      this.#latencyRecipients.push(recipient);
    }
  }

  /** How many tracked edits `recipient` received. */
  deliveredTo(recipient: number): number {
    return this.#seen[recipient]?.size ?? 0;
  }

  #structIds(update: Uint8Array): string[] {
    const bytes = Buffer.from(update.buffer, update.byteOffset, update.byteLength).toString("latin1");
    let ids = this.#decoded.get(bytes);
    if (ids) return ids;
    ids = [];
    for (const struct of Y.decodeUpdate(update).structs)
      for (let offset = 0; offset < struct.length; offset += 1)
        ids.push(`${struct.id.client}:${struct.id.clock + offset}`);
    // Bounded: only the latest few hundred updates are still on their way to anyone.
    if (this.#decoded.size > 1_000) this.#decoded.clear();
    this.#decoded.set(bytes, ids);
    return ids;
  }

  /**
   * One edit from the first client, awaited at every other one and then
   * forgotten: a fresh room's first write pays for creating it (a new
   * Durable Object and its tables), which is not what the workload measures.
   */
  async warmUp(recipients: number, doc: Y.Doc, send: (update: Uint8Array) => void): Promise<void> {
    this.edit(0, doc, send);
    const deadline = Date.now() + 10_000;
    while (this.delivered < recipients && Date.now() < deadline)
      await new Promise((resolve) => setTimeout(resolve, 10));
    this.#sent.clear();
    this.#seen.length = 0;
    this.#decoded.clear();
    this.latencies.length = 0;
    this.#latencyRecipients.length = 0;
    this.delivered = 0;
  }

  get sent(): number {
    return this.#sent.size;
  }

  summary(): LatencySummary {
    return summarize(this.latencies);
  }

  /** Latencies at the recipients `counted` picks (e.g. a big room's watchers, not its editors). */
  summaryFor(counted: (recipient: number) => boolean): LatencySummary {
    return summarize(this.latencies.filter((_, i) => counted(this.#latencyRecipients[i] ?? -1)));
  }
}
