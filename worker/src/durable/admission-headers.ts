/**
 * The headers that carry the Worker's verdict on a socket to the room
 * object. The gate (access/connect-gate.ts) deletes any copy a client sent
 * and sets them; the object (room-access.ts) trusts only them. Both import
 * the names from here, so neither reaches into the other.
 */

/** Set by the Worker only: the verified token's identity (URI-encoded JSON); read by the room in `onConnect`. */
export const IDENTITY_HEADER = "x-edgeroom-identity";
/** Set by the Worker only: the verified token asks for the room to become private. */
export const MAKE_PRIVATE_HEADER = "x-edgeroom-make-private";
/** Set by the Worker only, with every verified identity: when its token expires (epoch ms). */
export const TOKEN_EXPIRES_HEADER = "x-edgeroom-token-expires";
/** Set by the Worker only, when the verified token has an `iat`: when it was issued (epoch ms), against revocations. */
export const TOKEN_ISSUED_HEADER = "x-edgeroom-token-issued";
