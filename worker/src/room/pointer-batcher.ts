/**
 * Pointer fan-out in batches. Relaying every move to everyone costs
 * N·(N−1)·rate frames; instead the room keeps only the newest position per
 * socket and, once per tick, sends each recipient one frame holding every
 * other socket's newest position. Superseded positions are dropped unsent.
 */
import type { PointerEntry } from "@edgeroom/shared";

export class PointerBatcher {
  readonly #pending = new Map<string, PointerEntry>();

  add(entry: PointerEntry): void {
    this.#pending.set(entry.key, entry);
  }

  get hasPending(): boolean {
    return this.#pending.size > 0;
  }

  /** Empties the batch into one list of moves per recipient, leaving out each recipient's own. */
  flush(recipients: Iterable<string>): Map<string, PointerEntry[]> {
    const moves = [...this.#pending.values()];
    this.#pending.clear();
    const frames = new Map<string, PointerEntry[]>();
    for (const recipient of recipients) {
      const theirs = moves.filter((move) => move.key !== recipient);
      if (theirs.length > 0) frames.set(recipient, theirs);
    }
    return frames;
  }
}
