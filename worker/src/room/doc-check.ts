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
  readonly #doc: Y.Doc;
  /** Recomputed only after the document changed: checks from a whole room cost one hash. */
  #hash: string | undefined;

  constructor(doc: Y.Doc) {
    this.#doc = doc;
    doc.on("update", () => (this.#hash = undefined));
  }

  answer(clientHash: string): Reaction {
    this.#hash ??= documentHash(this.#doc);
    const match = clientHash === this.#hash;
    const reaction: Reaction = { out: [{ to: "sender", app: { type: "doc-check", match } }] };
    if (!match) reaction.out.push({ to: "sender", binary: encodeSyncStep1(this.#doc) });
    return reaction;
  }
}
