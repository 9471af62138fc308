/**
 * The room's half of the divergence check: a client sends its document's
 * hash; on a mismatch the room answers with its state vector (sync step 1)
 * so the client sends what the room lacks, and the client asks in turn with
 * its own, so the room sends what the client lacks. Both directions carry
 * the full delete set, which is what repairs a lost deletion.
 */
import { documentHash, encodeSyncStep1 } from "@edgeroom/shared";
import type * as Y from "yjs";
import type { Reaction } from "./reaction.ts";

export class DocCheck {
  /** The room's document, built from storage on first use (see YRoom). */
  readonly #doc: () => Y.Doc;
  /** The document whose hash is cached; recomputed only after it changed: checks from a whole room cost one hash. */
  #watched: Y.Doc | undefined;
  #hash: string | undefined;

  constructor(doc: () => Y.Doc) {
    this.#doc = doc;
  }

  answer(clientHash: string): Reaction {
    const doc = this.#doc();
    if (this.#watched !== doc) {
      this.#watched = doc;
      this.#hash = undefined;
      doc.on("update", () => (this.#hash = undefined));
    }
    this.#hash ??= documentHash(doc);
    const match = clientHash === this.#hash;
    const reaction: Reaction = { out: [{ to: "sender", app: { type: "doc-check", match } }] };
    if (!match) reaction.out.push({ to: "sender", binary: encodeSyncStep1(doc) });
    return reaction;
  }
}
