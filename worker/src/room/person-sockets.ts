import { LIMITS } from "@edgeroom/shared";

/**
 * Which open sockets each person holds, so one person (a token's `sub`, or
 * a browser's public person id) cannot fill a room however many sockets
 * they open. Rebuilt from socket attachments after a wake, like awareness.
 */
export class PersonSockets {
  readonly #byPerson = new Map<string, Set<string>>();

  /** Records the socket as the person's; false when they already hold as many as allowed. */
  claim(person: string, peerId: string): boolean {
    const sockets = this.#byPerson.get(person) ?? new Set<string>();
    if (!sockets.has(peerId) && sockets.size >= LIMITS.maxSocketsPerPerson) return false;
    sockets.add(peerId);
    this.#byPerson.set(person, sockets);
    return true;
  }

  /** Whether the person holds any socket here. */
  has(person: string): boolean {
    return this.#byPerson.has(person);
  }

  /** Forgets the socket; true when it was the person's last one (they left), false if it was not theirs. */
  release(person: string, peerId: string): boolean {
    const sockets = this.#byPerson.get(person);
    if (!sockets?.delete(peerId)) return false;
    if (sockets.size > 0) return false;
    this.#byPerson.delete(person);
    return true;
  }

  /** Each person here with the sockets they hold. */
  entries(): IterableIterator<[string, ReadonlySet<string>]> {
    return this.#byPerson.entries();
  }

  /** People with at least one socket; zero once everyone has left. */
  get size(): number {
    return this.#byPerson.size;
  }
}
