/**
 * What a token changes for a socket: its identity comes from the token
 * (never from `hello` or awareness), and a `view` token reads but never
 * writes. Kept apart from the room logic, which calls in at a few points.
 */
import { ErrorCode, lightTint, type ClientAppMessage, type VerifiedIdentity } from "@edgeroom/shared";
import * as Y from "yjs";
import { refuse, type PeerState, type Reaction } from "./reaction.ts";

export function isReadOnly(peer: PeerState): boolean {
  return peer.verified?.scope === "view";
}

/** The state a verified socket starts with: its user and person are the token's, before it says anything. */
export function verifiedPeer(verified: VerifiedIdentity | undefined, expiresAt?: number): Partial<PeerState> {
  if (!verified) return {};
  const peer: Partial<PeerState> = {
    verified,
    person: verified.id,
    user: { name: verified.name, color: verified.color },
  };
  if (expiresAt !== undefined) peer.tokenExpiresAt = expiresAt;
  return peer;
}

/** The socket came with a token that has since expired (jose's rule: expired once `exp` is reached). */
export function tokenHasExpired(peer: PeerState, now: number): boolean {
  return peer.tokenExpiresAt !== undefined && now >= peer.tokenExpiresAt;
}

/** The earliest token expiry among these sockets, when the room must next look. */
export function earliestTokenExpiry(peers: Iterable<PeerState>): number | undefined {
  let earliest: number | undefined;
  for (const peer of peers) {
    if (peer.tokenExpiresAt !== undefined && (earliest === undefined || peer.tokenExpiresAt < earliest))
      earliest = peer.tokenExpiresAt;
  }
  return earliest;
}

/** Once a room is private, only sockets that came with a token may stay. */
export function mayStayInPrivateRoom(peer: PeerState): boolean {
  return peer.verified !== undefined;
}

/** Refuses the app-lane messages a `view` socket may not send; undefined when the message may go on. */
export function refuseReadOnlyMessage(peer: PeerState, message: ClientAppMessage): Reaction | undefined {
  if (!isReadOnly(peer)) return undefined;
  const text = "this connection can only view the room";
  if (message.type === "chat-send") {
    return refuse({ type: "chat-reject", id: message.id, code: ErrorCode.readOnly, message: text });
  }
  if (
    message.type === "room-name-set" ||
    message.type === "event-send" ||
    (message.type === "typing" && message.active)
  ) {
    return refuse({ type: "error", code: ErrorCode.readOnly, message: text });
  }
  return undefined;
}

/**
 * A viewer's sync handshake sends an empty update (it has nothing the room
 * lacks); that one is harmless and acknowledged. Anything else is a write.
 */
export function isEmptyUpdate(update: Uint8Array): boolean {
  try {
    const { structs, ds } = Y.decodeUpdate(update);
    return structs.length === 0 && ds.clients.size === 0;
  } catch {
    return false;
  }
}

/**
 * Puts the room's idea of who the socket is into one of its (sanitised)
 * awareness states: a verified socket's `user` becomes the token's identity;
 * anyone else's `user.id` becomes the person id the room gave it (or is
 * removed when it has none), so nobody can appear as somebody else by
 * copying their id.
 */
export function withRoomIdentity(state: Record<string, unknown>, peer: PeerState): Record<string, unknown> {
  const user = peer.verified
    ? verifiedAwarenessUser(peer.verified)
    : withPersonId(state["user"], peer.person);
  const { user: _claimed, ...rest } = state;
  return user === undefined ? rest : { ...rest, user };
}

function verifiedAwarenessUser(verified: VerifiedIdentity): Record<string, unknown> {
  return {
    name: verified.name,
    color: verified.color,
    colorLight: lightTint(verified.color),
    id: verified.id,
  };
}

function withPersonId(user: unknown, person: string | undefined): unknown {
  if (typeof user !== "object" || user === null || Array.isArray(user)) return user;
  const { id: _claimed, ...rest } = user as Record<string, unknown>;
  return person === undefined ? rest : { ...rest, id: person };
}
