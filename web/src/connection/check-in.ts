/**
 * The answer to the room's `check-in-due`: one `check-in` after the time it
 * names, on the socket that was asked (a reconnect cancels it). The room
 * sweeps for dead sockets on that message instead of a billed alarm.
 */
import type { ClientAppMessage } from "@edgeroom/shared";

export class CheckInAnswer {
  readonly #send: (message: ClientAppMessage) => boolean;
  #timer: ReturnType<typeof setTimeout> | undefined;

  constructor(send: (message: ClientAppMessage) => boolean) {
    this.#send = send;
  }

  /** The room asked: answer in `afterMs`, replacing any answer still waiting. */
  due(afterMs: number): void {
    this.cancel();
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      this.#send({ type: "check-in" });
    }, afterMs);
  }

  /** The socket that was asked is gone; the room asks again on the next one. */
  cancel(): void {
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    this.#timer = undefined;
  }
}
