/**
 * The ids the protocol carries, each spelled once: room names (in URLs and
 * tokens) and the url-safe ids people and chat messages are known by.
 * Both use only characters that need no escaping in a URL path, a header
 * value or a WebSocket subprotocol.
 */
import * as v from "valibot";
import { LIMITS } from "./limits.ts";

/** A room name: 1–`LIMITS.maxRoomIdLength` letters, digits, `-` and `_` (the path segment of `/r/<id>`). */
export const RoomIdSchema = v.pipe(
  v.string(),
  v.regex(/^[A-Za-z0-9_-]+$/, "must be letters, digits, - or _"),
  v.maxLength(LIMITS.maxRoomIdLength, `must be at most ${LIMITS.maxRoomIdLength} characters`),
);

export function isValidRoomId(id: string): boolean {
  return v.is(RoomIdSchema, id);
}

/** 8–64 url-safe characters: a person id (a token's `sub`, a browser's secret) or a chat message id. */
export const UrlSafeIdSchema = v.pipe(
  v.string(),
  v.regex(/^[A-Za-z0-9_-]{8,64}$/, "must be 8–64 url-safe characters"),
);

export function isUrlSafeId(id: unknown): id is string {
  return v.is(UrlSafeIdSchema, id);
}
