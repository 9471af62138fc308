/**
 * The rule a sweep applies to open sockets: which went silent. Pure, so it
 * is tested without clocks or workerd (check-ins.ts says when sweeps run).
 */
import { LIMITS } from "@edgeroom/shared";
import type { RoomSocket } from "./effects.ts";

/**
 * A socket whose heartbeat went quiet (network cut, process killed, no close
 * frame) is dead. Only app-lane sockets send heartbeats; until the first
 * one, a socket counts as alive since it connected.
 */
export function hasGoneSilent(socket: RoomSocket, now: number): boolean {
  if (!socket.peer.appLane) return false;
  return now - lastSignOfLife(socket, now) > LIMITS.heartbeatTimeoutMs;
}

/** The socket's last heartbeat, or its connect when that came later (`now` when neither is known). */
export function lastSignOfLife(socket: RoomSocket, now: number): number {
  return Math.max(socket.lastHeartbeat ?? 0, socket.peer.since ?? now);
}
