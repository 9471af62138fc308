/**
 * One request in flight at a time, and only the newest wish waits behind it:
 * clicking through ten versions while the first loads sends two requests,
 * not ten (the room answers each socket's version requests one at a time).
 */
export class LatestRequest<T> {
  #inFlight: T | undefined;
  #wanted: T | undefined;

  /** Asks for `value`; returns it when it should be sent now, undefined when it waits its turn. */
  want(value: T): T | undefined {
    this.#wanted = value;
    if (this.#inFlight !== undefined) return undefined;
    this.#inFlight = value;
    return value;
  }

  /** The request in flight was answered or failed; returns what to send next, if anything. */
  settled(): T | undefined {
    const answered = this.#inFlight;
    this.#inFlight = undefined;
    const next = this.#wanted;
    if (next === undefined || next === answered) {
      this.#wanted = undefined;
      return undefined;
    }
    return this.want(next);
  }

  /** Nothing is in flight any more (a new socket); returns the wish to send again, if one waits. */
  reset(): T | undefined {
    this.#inFlight = undefined;
    const wanted = this.#wanted;
    return wanted === undefined ? undefined : this.want(wanted);
  }
}
