/**
 * The `user` field of an awareness state, as y-codemirror.next reads it for
 * remote carets. Awareness comes from any client (stock ones included), so
 * both the server and the presence list parse it before use.
 */
import * as v from "valibot";
import { LIMITS } from "./limits.ts";

const COLOR = /^#[0-9a-fA-F]{6}$/;

export const AwarenessUserSchema = v.object({
  name: v.pipe(v.string(), v.trim(), v.minLength(1), v.maxLength(LIMITS.maxNameLength)),
  color: v.pipe(v.string(), v.regex(COLOR)),
  colorLight: v.optional(v.pipe(v.string(), v.regex(/^#[0-9a-fA-F]{6,8}$/))),
  /** Stable per browser: every tab of one person carries the same id, so presence shows them once. */
  id: v.optional(v.pipe(v.string(), v.regex(/^[A-Za-z0-9_-]{8,64}$/))),
});
export type AwarenessUser = v.InferOutput<typeof AwarenessUserSchema>;

/** Returns the user of an awareness state, or undefined when it has none or it is malformed. */
export function readAwarenessUser(state: unknown): AwarenessUser | undefined {
  if (typeof state !== "object" || state === null || !("user" in state)) return undefined;
  const result = v.safeParse(AwarenessUserSchema, (state as { user: unknown }).user);
  return result.success ? result.output : undefined;
}

export const PresenceStatusSchema = v.picklist(["active", "idle", "away"]);
export type PresenceStatus = v.InferOutput<typeof PresenceStatusSchema>;

/** The `status` field of an awareness state; anything else reads as active. */
export function readPresenceStatus(state: unknown): PresenceStatus {
  if (typeof state !== "object" || state === null || !("status" in state)) return "active";
  const result = v.safeParse(PresenceStatusSchema, (state as { status: unknown }).status);
  return result.success ? result.output : "active";
}

export function cleanDisplayName(name: string): string {
  return name.trim().replace(/\s+/g, " ").slice(0, LIMITS.maxNameLength);
}
