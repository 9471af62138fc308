/**
 * Who sweeps for dead sockets, and when. A sweep reads every socket's last
 * heartbeat, so something must wake the room for it; an alarm is a billed
 * request, an incoming message a twentieth of one. So the room asks one
 * app-lane socket at a time (`check-in-due`) to send `check-in` a sweep
 * period later and sweeps on that message; the alarm only backs it up, a
 * little later, for when the asked socket never answers (gone, throttled,
 * hostile). Kept in memory only: after a wake nobody is asked, the first
 * check-in or the alarm sweeps, and asking starts again.
 */
import { LIMITS } from "@edgeroom/shared";
import type { RoomSocket, SocketId } from "./effects.ts";
import { lastSignOfLife } from "./socket-checks.ts";

/** A sweep just ran: whom to ask for the next one, and when the backing alarm must come (undefined: none needed). */
export interface SweepPlan {
  ask: SocketId | undefined;
  sweepAfterMs: number | undefined;
}

export class CheckIns {
  #sweptAt: number | undefined;
  #asked: SocketId | undefined;

  /** Whether a socket has been asked and may still answer. */
  get asking(): boolean {
    return this.#asked !== undefined;
  }

  /** A check-in sweeps only when one is due, so a socket flooding them costs one sweep per half period. */
  due(now: number): boolean {
    return this.#sweptAt === undefined || now - this.#sweptAt >= LIMITS.heartbeatSweepMs / 2;
  }

  /** Milliseconds until the next sweep is due, counted from the last one. */
  untilNext(now: number): number {
    if (this.#sweptAt === undefined) return 0;
    return Math.max(0, this.#sweptAt + LIMITS.heartbeatSweepMs - now);
  }

  /** The socket left: if it was the asked one, nobody is asked now (the caller asks again). */
  forget(socket: SocketId): boolean {
    if (this.#asked !== socket) return false;
    this.#asked = undefined;
    return true;
  }

  /**
   * A sweep ran at `now`, by a check-in or (`byAlarm`) by the backing alarm,
   * and `staying` are the sockets it kept. Asks the app-lane socket with
   * the freshest heartbeat, passing over one that just failed to answer
   * while another can. Only app-lane sockets heartbeat, so with none of
   * them there is nothing to sweep for. When the asked socket missed its
   * check-in, the alarm comes back the moment it could count as silent.
   */
  swept(now: number, staying: readonly RoomSocket[], byAlarm: boolean): SweepPlan {
    const missed = byAlarm ? staying.find((s) => s.id === this.#asked) : undefined;
    this.#sweptAt = now;
    this.#asked = pick(staying, missed?.id, now);
    if (this.#asked === undefined) return { ask: undefined, sweepAfterMs: undefined };
    let sweepAfterMs: number = LIMITS.sweepFallbackMs;
    if (missed) {
      const silentAt = lastSignOfLife(missed, now) + LIMITS.heartbeatTimeoutMs + 1;
      sweepAfterMs = Math.min(sweepAfterMs, Math.max(1_000, silentAt - now));
    }
    return { ask: this.#asked, sweepAfterMs };
  }

  /** Asks another socket after the asked one left, for the sweep already due; undefined when none can answer. */
  reask(open: readonly RoomSocket[], now: number): SocketId | undefined {
    this.#asked = pick(open, undefined, now);
    return this.#asked;
  }

  /** A socket opened the app lane while nobody is asked (a fresh wake, or a room of stock clients): ask it. */
  askIfNobody(socket: SocketId): boolean {
    if (this.#asked !== undefined) return false;
    this.#asked = socket;
    return true;
  }
}

function pick(
  sockets: readonly RoomSocket[],
  avoid: SocketId | undefined,
  now: number,
): SocketId | undefined {
  let best: RoomSocket | undefined;
  let fallback: RoomSocket | undefined;
  for (const socket of sockets) {
    if (!socket.peer.appLane) continue;
    if (socket.id === avoid) {
      fallback = socket;
      continue;
    }
    if (!best || lastSignOfLife(socket, now) > lastSignOfLife(best, now)) best = socket;
  }
  return (best ?? fallback)?.id;
}
