/**
 * The rules the one alarm applies to open sockets: which went silent,
 * which lost their token, and when the room must look again. Pure, so each
 * is tested without clocks or workerd.
 */
import { LIMITS } from "@edgeroom/shared";
import type { RoomSocket } from "./effects.ts";
import type { PeerState } from "./reaction.ts";
import { earliestTokenExpiry } from "./verified-peer.ts";

/**
 * A socket whose heartbeat went quiet (network cut, process killed, no close
 * frame) is dead. Only app-lane sockets send heartbeats; until the first
 * one, a socket counts as alive since it connected.
 */
export function hasGoneSilent(socket: RoomSocket, now: number): boolean {
  if (!socket.peer.appLane) return false;
  const lastSign = Math.max(socket.lastHeartbeat ?? 0, socket.peer.since ?? now);
  return now - lastSign > LIMITS.heartbeatTimeoutMs;
}

/**
 * When the alarm must next look at these sockets: the next sweep for dead
 * ones while anyone is connected, or sooner when a token expires first.
 * Undefined when nobody is connected (a due snapshot sets its own time).
 */
export function nextSocketCheck(now: number, open: readonly PeerState[]): number | undefined {
  if (open.length === 0) return undefined;
  return Math.min(now + LIMITS.heartbeatSweepMs, earliestTokenExpiry(open) ?? Infinity);
}

/**
 * The alarm's own plan for the sockets still open: the next sweep, counted
 * from when the alarm's work is done (see the `plan-alarm` effect), and the
 * earliest token expiry. Both undefined when nobody is connected.
 */
export function nextSweep(open: readonly PeerState[]): {
  sweepAfterMs: number | undefined;
  tokenExpiresAt: number | undefined;
} {
  return {
    sweepAfterMs: open.length > 0 ? LIMITS.heartbeatSweepMs : undefined,
    tokenExpiresAt: earliestTokenExpiry(open),
  };
}
