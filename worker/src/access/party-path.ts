import { isValidRoomId } from "@edgeroom/shared";

/** The one party the Worker serves under `/parties/`: `/parties/room/<roomId>`. */
export const ROOM_PARTY = "room";

export type PartyPath = { kind: "room"; roomId: string } | { kind: "bad-name" } | { kind: "not-found" };

/**
 * Reads a `/parties/…` path before anything addresses a Durable Object: an
 * object is created (and its storage with it) for any name it is asked
 * for, so only a valid room name under the room party may reach one. The
 * name is the raw path segment, never decoded: valid names are plain ASCII,
 * so anything percent-encoded is refused as it is.
 */
export function readPartyPath(pathname: string): PartyPath {
  const parts = pathname.split("/");
  // ["", "parties", party, name] and nothing after
  if (parts.length !== 4 || parts[1] !== "parties" || parts[2] !== ROOM_PARTY) return { kind: "not-found" };
  const roomId = parts[3] ?? "";
  if (roomId === "") return { kind: "not-found" };
  return isValidRoomId(roomId) ? { kind: "room", roomId } : { kind: "bad-name" };
}
