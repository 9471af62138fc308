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

/**
 * Checks a socket and writes the verdict onto `forwarded`, the copy of the
 * request the room will see (`roomRequest`); a refusal is the answer to send.
 */
export async function gateRoomSocket(
  forwarded: Request,
  env: Env,
  roomId: string,
): Promise<Response | undefined> {
  if (!isAllowedSocketOrigin(forwarded, socketOrigins(env))) {
    return new Response("This origin may not open Edgeroom sockets.", { status: 403 });
  }
  const { token } = readSubprotocols(forwarded.headers.get("Sec-WebSocket-Protocol"));
  if (token === undefined) return undefined;
  const check = await verifyRoomToken(token, env.ROOM_TOKEN_SECRET, roomId);
  if (!check.ok) return refusalSocket(check.code);
  forwarded.headers.set(IDENTITY_HEADER, encodeIdentity(check.identity));
  forwarded.headers.set(TOKEN_EXPIRES_HEADER, String(check.expiresAt));
  if (check.issuedAt !== undefined) forwarded.headers.set(TOKEN_ISSUED_HEADER, String(check.issuedAt));
  if (check.makesPrivate) forwarded.headers.set(MAKE_PRIVATE_HEADER, "1");
  return undefined;
}

/**
 * The one copy of a socket request the room object sees: without the
 * headers only the Worker may set (the gate's verdict, and the
 * `x-partykit-*` ones partyserver would read as props or name, echoing a
 * malformed one with its stack) and without the client's `_pk` connection
 * id (the room names sockets itself: rate limits, awareness and capacity
 * need the server's id).
 */
export function roomRequest(request: Request, url: URL): Request {
  let target = request.url;
  if (url.searchParams.has("_pk")) {
    const clean = new URL(url);
    clean.searchParams.delete("_pk");
    target = clean.href;
  }
  const forwarded = new Request(target, request);
  for (const name of [...forwarded.headers.keys()]) {
    if (name.startsWith("x-partykit-") || ADMISSION_HEADERS.has(name)) forwarded.headers.delete(name);
  }
  return forwarded;
}

const ADMISSION_HEADERS = new Set([
  IDENTITY_HEADER,
  MAKE_PRIVATE_HEADER,
  TOKEN_EXPIRES_HEADER,
  TOKEN_ISSUED_HEADER,
]);

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
