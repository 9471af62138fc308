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

  /**
   * Empties the batch into one list of moves per recipient, leaving out each
   * recipient's own. Everyone who did not move gets the very same list, so
   * the host encodes it once for a room of watchers.
   */
  flush(recipients: Iterable<string>): Map<string, PointerEntry[]> {
    const moves = [...this.#pending.values()];
    const movers = new Set(this.#pending.keys());
    this.#pending.clear();
    const frames = new Map<string, PointerEntry[]>();
    for (const recipient of recipients) {
      const theirs = movers.has(recipient) ? moves.filter((move) => move.key !== recipient) : moves;
      if (theirs.length > 0) frames.set(recipient, theirs);
    }
    return frames;
  }
}
