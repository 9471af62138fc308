/**
 * Per-socket rate limits and the rules that end a socket for abuse. Every
 * frame first takes a token from its lane's bucket (`LIMITS.rateLimits`);
 * without one it is dropped unread, the socket is told once per streak
 * (app-lane sockets only: stock Yjs clients cannot read our text frames),
 * and the drop costs a strike. Strikes refill like tokens, so only abuse
 * that is sustained closes the socket: too many drops with
 * `tooManyMessages`, too many malformed frames with `badFrames`.
 *
 * Buckets live in memory, not the socket attachment: writing the attachment
 * on every frame would cost more than the limit saves, and every bucket
 * refills within the idle time before hibernation, so a wake that starts
 * them full grants nothing an idle socket would not have had.
 */
import { CloseCode, ErrorCode, LIMITS, YMessageType, type ClientAppMessageType } from "@edgeroom/shared";
import { closeSender, refuse, type PeerState, type Reaction } from "./reaction.ts";
import { fullBucket, hasCredit, spend, take, type Bucket } from "./token-bucket.ts";

export type Lane = keyof typeof LIMITS.rateLimits;

/** Problems that count toward `badFrames`: no honest client sends such frames again and again. */
const STRUCK: ReadonlySet<ErrorCode | undefined> = new Set([
  ErrorCode.badFrame,
  ErrorCode.badMessage,
  ErrorCode.tooCostly,
]);

interface Guard {
  lanes: Record<Lane, Bucket>;
  /** Predicted integration work of this socket's updates (`LIMITS.integrationBudget`). */
  work: Bucket;
  overBudget: Bucket;
  malformed: Bucket;
  /** The socket was told about the current streak of drops. */
  told: boolean;
}

export class FrameGuard {
  readonly #guards = new Map<string, Guard>();
  /** Sockets closed for abuse: frames they still had in flight are dropped unread until they are gone. */
  readonly #closing = new Set<string>();
  readonly #now: () => number;

  constructor(now: () => number) {
    this.#now = now;
  }

  /** Sockets the guard remembers; zero once everyone has left. */
  get size(): number {
    return this.#guards.size + this.#closing.size;
  }

  /** Undefined when the frame may go on; otherwise what to do instead of reading it. */
  admit(peerId: string, peer: PeerState, lane: Lane): Reaction | undefined {
    if (this.#closing.has(peerId)) return { out: [] };
    const now = this.#now();
    const guard = this.#guard(peerId, now);
    if (take(guard.lanes[lane], LIMITS.rateLimits[lane], now)) {
      guard.told = false;
      return undefined;
    }
    if (!take(guard.overBudget, LIMITS.overBudgetStrikes, now)) {
      return this.#close(peerId, CloseCode.tooManyMessages);
    }
    if (guard.told || !peer.appLane) return { out: [] };
    guard.told = true;
    const message = `over the ${lane} rate limit (${LIMITS.rateLimits[lane].perSecond}/s); frames are being dropped`;
    return refuse({ type: "error", code: ErrorCode.rateLimited, message });
  }

  /**
   * The socket's budget of document work (`LIMITS.integrationBudget`): an
   * update is read only while the budget is not overdrawn, and its predicted
   * work is then charged in full, so one large honest frame passes and the
   * socket waits afterwards. Refusing an overdrawn socket's frame costs
   * nothing (it is not even decoded), and counts a strike like any dropped
   * frame. Work is counted, not timed: production Workers freeze the clock
   * during synchronous work, so a measured apply time would read zero there.
   */
  refuseIfOverdrawn(peerId: string, peer: PeerState): Reaction | undefined {
    const now = this.#now();
    const guard = this.#guard(peerId, now);
    if (hasCredit(guard.work, LIMITS.integrationBudget, now)) return undefined;
    if (!take(guard.overBudget, LIMITS.overBudgetStrikes, now)) {
      return this.#close(peerId, CloseCode.tooManyMessages);
    }
    if (!peer.appLane) return { out: [], refused: true, problem: ErrorCode.rateLimited };
    const { perSecond } = LIMITS.integrationBudget;
    const message = `over this connection's document work budget (${perSecond} units a second); it will be resent`;
    return {
      out: [{ to: "sender", app: { type: "doc-reject", code: ErrorCode.rateLimited, message } }],
      problem: ErrorCode.rateLimited,
    };
  }

  /** Charges the predicted work of an update the room is about to apply. */
  chargeWork(peerId: string, work: number): void {
    const now = this.#now();
    spend(this.#guard(peerId, now).work, LIMITS.integrationBudget, now, work);
  }

  /** Counts a malformed or too costly frame; returns a close once they come too fast. */
  strikeMalformed(peerId: string, reaction: Reaction): Reaction {
    if (!STRUCK.has(reaction.problem)) return reaction;
    const now = this.#now();
    if (take(this.#guard(peerId, now).malformed, LIMITS.malformedStrikes, now)) return reaction;
    const close = this.#close(peerId, CloseCode.badFrames);
    return { ...reaction, out: [...reaction.out, ...close.out] };
  }

  /** The socket is gone. */
  forget(peerId: string): void {
    this.#guards.delete(peerId);
    this.#closing.delete(peerId);
  }

  #close(peerId: string, code: CloseCode): Reaction {
    this.#guards.delete(peerId);
    this.#closing.add(peerId);
    return closeSender(code);
  }

  #guard(peerId: string, now: number): Guard {
    let guard = this.#guards.get(peerId);
    if (!guard) {
      const { document, presence, app, history, events } = LIMITS.rateLimits;
      guard = {
        lanes: {
          document: fullBucket(document, now),
          presence: fullBucket(presence, now),
          app: fullBucket(app, now),
          history: fullBucket(history, now),
          events: fullBucket(events, now),
        },
        work: fullBucket(LIMITS.integrationBudget, now),
        overBudget: fullBucket(LIMITS.overBudgetStrikes, now),
        malformed: fullBucket(LIMITS.malformedStrikes, now),
        told: false,
      };
      this.#guards.set(peerId, guard);
    }
    return guard;
  }
}

/** The lane of a binary frame, read from its first byte so a dropped frame is never parsed. */
export function binaryLane(frame: Uint8Array): Lane {
  const type = frame[0];
  return type === YMessageType.awareness || type === YMessageType.queryAwareness ? "presence" : "document";
}

/** The lane of a parsed app-lane message. */
export function appLane(type: ClientAppMessageType): Lane {
  if (type === "pointer") return "presence";
  if (type === "event-send") return "events";
  return type === "versions-list" || type === "version-get" ? "history" : "app";
}
