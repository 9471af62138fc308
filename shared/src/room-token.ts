/**
 * Private rooms: the claims of a room token a host's backend signs (JWT,
 * HS256), and how a client hands the token over. The token rides in the
 * WebSocket subprotocol header, never in a URL, where it would end up in
 * logs, history and Referer headers.
 */
import * as v from "valibot";
import { AwarenessUserSchema } from "./awareness-user.ts";
import { RoomIdSchema } from "./ids.ts";
import { LIMITS } from "./limits.ts";
import { PersonIdSchema } from "./person-id.ts";

export const ScopeSchema = v.picklist(["edit", "view"]);
/** `edit` may change the document and chat; `view` reads everything and changes nothing. */
export type Scope = v.InferOutput<typeof ScopeSchema>;

export const RoomTokenClaimsSchema = v.object({
  /** The one room this token opens. */
  room: RoomIdSchema,
  /** The person's id in the host's system; presence shows one entry per id. */
  sub: PersonIdSchema,
  name: AwarenessUserSchema.entries.name,
  color: AwarenessUserSchema.entries.color,
  scope: ScopeSchema,
  /** Makes the room private for good: from then on it refuses connections without a valid token. */
  private: v.optional(v.boolean()),
  /** Required: a token that never expires cannot be taken back. */
  exp: v.pipe(v.number(), v.integer()),
});
export type RoomTokenClaims = v.InferOutput<typeof RoomTokenClaimsSchema>;

/** Who a verified socket is: what the room uses for presence and chat instead of anything the client says. */
export const VerifiedIdentitySchema = v.object({
  id: PersonIdSchema,
  name: AwarenessUserSchema.entries.name,
  color: AwarenessUserSchema.entries.color,
  scope: ScopeSchema,
});
export type VerifiedIdentity = v.InferOutput<typeof VerifiedIdentitySchema>;

/** The subprotocol the server selects; the token travels as a second offered subprotocol. */
export const APP_SUBPROTOCOL = "edgeroom";
const TOKEN_PREFIX = "edgeroom.token.";
/** A compact JWS: three base64url parts (all valid subprotocol characters). */
const COMPACT_JWS = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/;

export function isCompactJws(token: string): boolean {
  return token.length <= LIMITS.maxTokenLength && COMPACT_JWS.test(token);
}

/** The subprotocols a client offers to present a token. */
export function tokenSubprotocols(token: string): string[] {
  return [APP_SUBPROTOCOL, `${TOKEN_PREFIX}${token}`];
}

/** Reads the offered subprotocols: whether the app one was offered, and the token if one was. */
export function readSubprotocols(header: string | null): { offered: boolean; token: string | undefined } {
  const offers = (header ?? "")
    .split(",")
    .map((p) => p.trim())
    .filter(Boolean);
  const tokenOffer = offers.find((p) => p.startsWith(TOKEN_PREFIX));
  return {
    offered: offers.includes(APP_SUBPROTOCOL),
    token: tokenOffer === undefined ? undefined : tokenOffer.slice(TOKEN_PREFIX.length),
  };
}

export function parseRoomTokenClaims(payload: unknown): RoomTokenClaims | undefined {
  const result = v.safeParse(RoomTokenClaimsSchema, payload);
  return result.success ? result.output : undefined;
}

export function parseVerifiedIdentity(json: string): VerifiedIdentity | undefined {
  try {
    const result = v.safeParse(VerifiedIdentitySchema, JSON.parse(json));
    return result.success ? result.output : undefined;
  } catch {
    return undefined;
  }
}
