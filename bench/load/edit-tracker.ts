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
  readonly latencies: number[] = [];
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
    for (const struct of Y.decodeUpdate(update).structs) {
      for (let offset = 0; offset < struct.length; offset += 1) {
        const key = `${struct.id.client}:${struct.id.clock + offset}`;
        const sent = this.#sent.get(key);
        if (!sent || sent.sender === recipient || seen.has(key)) continue;
        seen.add(key);
        this.delivered += 1;
        this.latencies.push(now - sent.at);
      }
    }
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
    this.latencies.length = 0;
    this.delivered = 0;
  }

  get sent(): number {
    return this.#sent.size;
  }

  summary(): LatencySummary {
    return summarize(this.latencies);
  }
}
