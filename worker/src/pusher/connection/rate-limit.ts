/**
 * A token bucket: `ratePerSecond` tokens a second, holding at most that many,
 * so a client may burst a second's worth and then keep to the rate. It
 * lives with the connection in the Worker (the only place that sees all of
 * one client's events across channels).
 */
export class TokenBucket {
  #tokens: number;
  #updatedAt: number;

  constructor(
    private readonly ratePerSecond: number,
    private readonly now: () => number = Date.now,
  ) {
    this.#tokens = ratePerSecond;
    this.#updatedAt = now();
  }

  /** Takes one token if there is one. */
  take(): boolean {
    const now = this.now();
    this.#tokens = Math.min(
      this.ratePerSecond,
      this.#tokens + ((now - this.#updatedAt) / 1000) * this.ratePerSecond,
    );
    this.#updatedAt = now;
    if (this.#tokens < 1) return false;
    this.#tokens -= 1;
    return true;
  }
}
