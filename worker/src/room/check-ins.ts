/**
 * Who sweeps for dead sockets, and when. A sweep reads every socket's last
 * heartbeat, so something must wake the room for it; an alarm is a billed
 * request and setting one a billed row write, while an incoming message
 * costs a twentieth of a request. So the room asks two app-lane sockets
 * (of different people where it can) to send `check-in` a sweep period
 * later and sweeps on the first that arrives; if one of them vanished, the
 * other still checks in. The alarm only backs them up, minutes later, for
 * when both went at once, and is then pulled in to the moment they could
 * count as silent. Kept in memory only: after a wake nobody is asked, the
 * first check-in or the alarm sweeps, and asking starts again.
 */
import { LIMITS } from "@edgeroom/shared";
import type { RoomSocket, SocketId } from "./effects.ts";
import { lastSignOfLife } from "./socket-checks.ts";

/** Sockets asked at once: one may vanish without the sweep stopping. */
const ASKED = 2;
/** A check-in later than this past its time counts as missed. */
const GRACE_MS = 2_000;

/** A sweep just ran: whom to ask for the next one, and when the backing alarm must come (undefined: none needed). */
export interface SweepPlan {
  ask: SocketId[];
  sweepAfterMs: number | undefined;
}

export class CheckIns {
  #sweptAt: number | undefined;
  readonly #asked = new Set<SocketId>();
  readonly #random: () => number;

  constructor(random: () => number = Math.random) {
    this.#random = random;
  }

  /** A check-in sweeps only when one is due, so sockets flooding them cost one sweep per half period. */
  due(now: number): boolean {
    return this.#sweptAt === undefined || now - this.#sweptAt >= LIMITS.heartbeatSweepMs / 2;
  }

  /** Milliseconds until the next sweep is due, counted from the last one. */
  untilNext(now: number): number {
    if (this.#sweptAt === undefined) return 0;
    return Math.max(0, this.#sweptAt + LIMITS.heartbeatSweepMs - now);
  }

  /** The socket left: true when it was asked (the caller asks another). */
  forget(socket: SocketId): boolean {
    return this.#asked.delete(socket);
  }

  /**
   * A sweep ran at `now`, by a check-in or (`byAlarm`) by the backing alarm,
   * and `staying` are the sockets it kept. Asks the app-lane sockets with
   * the freshest heartbeats, passing over any that missed their check-in
   * while others can answer. Only app-lane sockets heartbeat, so with none
   * of them there is nothing to sweep for.
   */
  swept(now: number, staying: readonly RoomSocket[], byAlarm: boolean): SweepPlan {
    const overdue =
      byAlarm && this.#sweptAt !== undefined && now >= this.#sweptAt + LIMITS.heartbeatSweepMs + GRACE_MS;
    const missed = overdue ? staying.filter((s) => this.#asked.has(s.id)) : [];
    this.#sweptAt = now;
    this.#asked.clear();
    for (const id of pick(staying, new Set(missed.map((s) => s.id)), now, this.#random)) this.#asked.add(id);
    if (this.#asked.size === 0) return { ask: [], sweepAfterMs: undefined };
    let sweepAfterMs: number = LIMITS.sweepFallbackMs;
    for (const socket of missed) {
      const silentAt = lastSignOfLife(socket, now) + LIMITS.heartbeatTimeoutMs + 1;
      sweepAfterMs = Math.min(sweepAfterMs, Math.max(1_000, silentAt - now));
    }
    return { ask: [...this.#asked], sweepAfterMs };
  }

  /** Asks others after an asked socket left, for the sweep already due: those newly asked. */
  reask(open: readonly RoomSocket[], now: number): SocketId[] {
    const fresh = pick(open, new Set(), now, this.#random).filter((id) => !this.#asked.has(id));
    const added = fresh.slice(0, ASKED - this.#asked.size);
    for (const id of added) this.#asked.add(id);
    return added;
  }

  /** A socket opened the app lane while fewer than two are asked (a fresh wake, a new room): ask it. */
  askIfFew(socket: SocketId): boolean {
    if (this.#asked.size >= ASKED || this.#asked.has(socket)) return false;
    this.#asked.add(socket);
    return true;
  }
}

/**
 * Up to two app-lane sockets, of different people where possible: chosen at
 * random among those whose heartbeat is recent (so a hostile client cannot
 * make itself the one always asked by beating faster, and then never
 * answer), then the freshest of the rest, `avoid` last.
 */
function pick(
  sockets: readonly RoomSocket[],
  avoid: ReadonlySet<SocketId>,
  now: number,
  random: () => number,
): SocketId[] {
  const recent = (s: RoomSocket) => now - lastSignOfLife(s, now) <= 2 * LIMITS.heartbeatIntervalMs;
  const candidates = sockets.filter((s) => s.peer.appLane);
  const preferred = candidates.filter((s) => recent(s) && !avoid.has(s.id));
  for (let i = preferred.length - 1; i > 0; i -= 1) {
    const j = Math.floor(random() * (i + 1));
    [preferred[i], preferred[j]] = [preferred[j]!, preferred[i]!];
  }
  const rest = candidates
    .filter((s) => !preferred.includes(s))
    .sort(
      (a, b) =>
        Number(avoid.has(a.id)) - Number(avoid.has(b.id)) || lastSignOfLife(b, now) - lastSignOfLife(a, now),
    );
  const ranked = [...preferred, ...rest];
  const chosen: RoomSocket[] = [];
  for (const socket of ranked) {
    if (chosen.length === ASKED) break;
    const samePerson = chosen.some(
      (c) => c.peer.person !== undefined && c.peer.person === socket.peer.person,
    );
    if (!samePerson) chosen.push(socket);
  }
  for (const socket of ranked) {
    if (chosen.length === ASKED) break;
    if (!chosen.includes(socket)) chosen.push(socket);
  }
  return chosen.map((s) => s.id);
}
