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
 * Checks a socket: a refusal to send, or the request for the room, which
 * carries the verified identity in headers only the Worker sets (`request`
 * itself, from `roomRequest`, when there is no token).
 */
export async function gateRoomSocket(
  request: Request,
  env: Env,
  roomId: string,
): Promise<Request | Response> {
  if (!isAllowedSocketOrigin(request, socketOrigins(env))) {
    return new Response("This origin may not open Edgeroom sockets.", { status: 403 });
  }
  const { token } = readSubprotocols(request.headers.get("Sec-WebSocket-Protocol"));
  if (token === undefined) return request;
  const check = await verifyRoomToken(token, env.ROOM_TOKEN_SECRET, roomId);
  if (!check.ok) return refusalSocket(check.code);
  const admitted = new Request(request);
  admitted.headers.set(IDENTITY_HEADER, encodeIdentity(check.identity));
  admitted.headers.set(TOKEN_EXPIRES_HEADER, String(check.expiresAt));
  if (check.issuedAt !== undefined) admitted.headers.set(TOKEN_ISSUED_HEADER, String(check.issuedAt));
  if (check.makesPrivate) admitted.headers.set(MAKE_PRIVATE_HEADER, "1");
  return admitted;
}

/**
 * The socket request as the room object may see it: without the headers
 * only the Worker may set (the gate's verdict, and the `x-partykit-*` ones
 * partyserver reads as props or name, echoing a malformed one with its
 * stack) and without the client's `_pk` connection id (the room names
 * sockets itself: rate limits, awareness and capacity need the server's
 * id). Copied only when there is something to drop: a copy of a request is
 * one of the dearer steps of opening a socket (bench/results/profile.md).
 */
export function roomRequest(request: Request, url: URL): Request {
  const hasPk = url.searchParams.has("_pk");
  const dropped = WORKER_ONLY_HEADERS.filter((name) => request.headers.has(name));
  if (!hasPk && dropped.length === 0) return request;
  let target = request.url;
  if (hasPk) {
    const clean = new URL(url);
    clean.searchParams.delete("_pk");
    target = clean.href;
  }
  const forwarded = new Request(target, request);
  for (const name of dropped) forwarded.headers.delete(name);
  return forwarded;
}

/** partyserver's `Server` reads these two; the gate sets the rest. */
const WORKER_ONLY_HEADERS = [
  "x-partykit-props",
  "x-partykit-room",
  IDENTITY_HEADER,
  MAKE_PRIVATE_HEADER,
  TOKEN_EXPIRES_HEADER,
  TOKEN_ISSUED_HEADER,
];

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
