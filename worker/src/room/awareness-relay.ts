import { LIMITS, type AwarenessEntry } from "@edgeroom/shared";

/**
 * The room's view of every awareness client: who owns it (which socket) and
 * its latest state. It applies y-protocols' rule (a newer clock wins; a
 * `null` state at the same clock removes) without y-protocols' `Awareness`
 * class, whose renewal timer would keep the object from hibernating.
 * The owner's copy of its entries lives in the socket attachment, so this
 * map can be rebuilt after a wake.
 */
export class AwarenessRelay {
  readonly #entries = new Map<number, AwarenessEntry>();
  readonly #owner = new Map<number, string>();

  /** Restores a socket's entries after the object woke from hibernation. */
  restore(peerId: string, entries: readonly AwarenessEntry[]): void {
    for (const entry of entries) {
      this.#entries.set(entry.clientId, entry);
      this.#owner.set(entry.clientId, peerId);
    }
  }

  /**
   * Applies entries sent by one socket; returns those that changed the room
   * (to relay) and the socket's own entries now (to keep in its attachment).
   * Entries for clients another socket owns, or stale clocks (stock providers
   * echo what they hear), are dropped.
   */
  apply(
    peerId: string,
    incoming: readonly AwarenessEntry[],
  ): { changed: AwarenessEntry[]; owned: AwarenessEntry[] } {
    const changed: AwarenessEntry[] = [];
    for (const entry of incoming) {
      const owner = this.#owner.get(entry.clientId);
      if (owner !== undefined && owner !== peerId) continue;
      const current = this.#entries.get(entry.clientId);
      const removing = entry.stateJson === "null";
      if (current) {
        const newer = entry.clock > current.clock;
        const sameClockRemoval = entry.clock === current.clock && removing && current.stateJson !== "null";
        if (!newer && !sameClockRemoval) continue;
      } else if (removing) {
        continue;
      } else if (this.ownedBy(peerId).length >= LIMITS.maxAwarenessClientsPerSocket) {
        continue;
      }
      if (removing) {
        this.#entries.delete(entry.clientId);
        this.#owner.delete(entry.clientId);
      } else {
        this.#entries.set(entry.clientId, entry);
        this.#owner.set(entry.clientId, peerId);
      }
      changed.push(entry);
    }
    return { changed, owned: this.ownedBy(peerId) };
  }

  /** Removes every client a socket owned; returns the removals to relay. */
  removePeer(peerId: string): AwarenessEntry[] {
    const removed: AwarenessEntry[] = [];
    for (const entry of this.ownedBy(peerId)) {
      this.#entries.delete(entry.clientId);
      this.#owner.delete(entry.clientId);
      removed.push({ clientId: entry.clientId, clock: entry.clock + 1, stateJson: "null" });
    }
    return removed;
  }

  ownedBy(peerId: string): AwarenessEntry[] {
    const owned: AwarenessEntry[] = [];
    for (const [clientId, owner] of this.#owner) {
      const entry = this.#entries.get(clientId);
      if (owner === peerId && entry) owned.push(entry);
    }
    return owned;
  }

  snapshot(): AwarenessEntry[] {
    return [...this.#entries.values()];
  }
}
