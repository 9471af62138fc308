import { LIMITS } from "@edgeroom/shared";

/**
 * Whether a room with `openOthers` sockets already open must refuse one
 * more. A full room closes the newcomer with `roomFull` (4005, as
 * Liveblocks does); the code is not fatal, so the client keeps retrying
 * with backoff and gets in once someone leaves.
 */
export function roomIsFull(openOthers: number): boolean {
  return openOthers >= LIMITS.maxConnectionsPerRoom;
}
