/**
 * What the Worker checks on a room socket before the room object sees it:
 * the page's Origin, then the room token if one is offered. A verified
 * identity reaches the room as a header only the Worker sets (any copy the
 * client sent is dropped first), so the room never trusts client input for
 * who someone is.
 */
import { CLOSE_REASONS, readSubprotocols, type CloseCode, type VerifiedIdentity } from "@edgeroom/shared";
import { isAllowedSocketOrigin, socketOrigins } from "./allowed-origins.ts";
import {
  IDENTITY_HEADER,
  MAKE_PRIVATE_HEADER,
  TOKEN_EXPIRES_HEADER,
  TOKEN_ISSUED_HEADER,
} from "../durable/admission-headers.ts";
import { verifyRoomToken } from "./room-token.ts";

export async function gateRoomSocket(
  request: Request,
  env: Env,
  roomId: string,
): Promise<Request | Response> {
  if (!isAllowedSocketOrigin(request, socketOrigins(env))) {
    return new Response("This origin may not open Edgeroom sockets.", { status: 403 });
  }
  const forwarded = new Request(request);
  forwarded.headers.delete(IDENTITY_HEADER);
  forwarded.headers.delete(MAKE_PRIVATE_HEADER);
  forwarded.headers.delete(TOKEN_EXPIRES_HEADER);
  forwarded.headers.delete(TOKEN_ISSUED_HEADER);
  const { token } = readSubprotocols(request.headers.get("Sec-WebSocket-Protocol"));
  if (token === undefined) return forwarded;
  const check = await verifyRoomToken(token, env.ROOM_TOKEN_SECRET, roomId);
  if (!check.ok) return refusalSocket(check.code);
  forwarded.headers.set(IDENTITY_HEADER, encodeIdentity(check.identity));
  forwarded.headers.set(TOKEN_EXPIRES_HEADER, String(check.expiresAt));
  if (check.issuedAt !== undefined) forwarded.headers.set(TOKEN_ISSUED_HEADER, String(check.issuedAt));
  if (check.makesPrivate) forwarded.headers.set(MAKE_PRIVATE_HEADER, "1");
  return forwarded;
}

/**
 * Refuses with a WebSocket close code rather than an HTTP status: a browser
 * hides the status of a failed upgrade from the page, but shows the close
 * code and reason, which tell the client not to retry.
 */
export function refusalSocket(code: CloseCode): Response {
  const { 0: client, 1: server } = new WebSocketPair();
  server.accept();
  server.close(code, CLOSE_REASONS[code].reason);
  return new Response(null, { status: 101, webSocket: client });
}

/** Header values must be ASCII; names need not be. */
export function encodeIdentity(identity: VerifiedIdentity): string {
  return encodeURIComponent(JSON.stringify(identity));
}
