/**
 * The `user` field of an awareness state, as y-codemirror.next reads it for
 * remote carets. Awareness comes from any client (stock ones included), so
 * the room rewrites every state to what these schemas allow before storing
 * or relaying it, and the web client does the same before rendering.
 */
import * as v from "valibot";
import { UrlSafeIdSchema } from "./ids.ts";
import { LIMITS } from "./limits.ts";

const COLOR = /^#[0-9a-fA-F]{6}$/;
/**
 * What a display name may not hold: control characters (line breaks, tabs,
 * escapes), format characters (bidi overrides, zero-width spaces) except the
 * joiners that emoji and some scripts need, line/paragraph separators, and
 * lone surrogates. The same rule covers awareness, `hello` and token names.
 */
const FORBIDDEN_NAME_CHARACTER = /(?![\u200c\u200d])[\p{Cc}\p{Cf}\p{Zl}\p{Zp}\p{Cs}]/u;
const FORBIDDEN_NAME_CHARACTERS = new RegExp(FORBIDDEN_NAME_CHARACTER.source, "gu");

export function isDisplayNameText(name: string): boolean {
  return !FORBIDDEN_NAME_CHARACTER.test(name);
}

export const DisplayNameSchema = v.pipe(
  v.string(),
  v.trim(),
  v.minLength(1),
  v.maxLength(LIMITS.maxNameLength),
  v.check(isDisplayNameText, "must not hold control or format characters"),
);

export const ColorSchema = v.pipe(v.string(), v.regex(COLOR, "must be a #rrggbb colour"));

export const AwarenessUserSchema = v.object({
  name: DisplayNameSchema,
  color: ColorSchema,
  colorLight: v.optional(ColorSchema),
  /** Stable per browser: every tab of one person carries the same id, so presence shows them once. */
  id: v.optional(UrlSafeIdSchema),
});
export type AwarenessUser = v.InferOutput<typeof AwarenessUserSchema>;

/** Who a person says they are: the name and colour shown on their chat messages and typing. */
export const UserSchema = v.object({
  name: AwarenessUserSchema.entries.name,
  color: AwarenessUserSchema.entries.color,
});
export type User = v.InferOutput<typeof UserSchema>;

/** Returns the user of an awareness state, or undefined when it has none or it is malformed. */
export function readAwarenessUser(state: unknown): AwarenessUser | undefined {
  if (typeof state !== "object" || state === null || !("user" in state)) return undefined;
  const result = v.safeParse(AwarenessUserSchema, (state as { user: unknown }).user);
  return result.success ? result.output : undefined;
}

/**
 * The light tint of a colour (remote selections): the colour at 20% over
 * white, which is what y-codemirror's `${color}33` default looked like, but
 * as an opaque `#rrggbb` so the one colour rule covers both fields.
 */
export function lightTint(color: string): string {
  if (!COLOR.test(color)) throw new Error(`not a #rrggbb colour: ${color}`);
  const channels = [1, 3, 5].map((at) => Number.parseInt(color.slice(at, at + 2), 16));
  return `#${channels
    .map((c) =>
      Math.round(c + (255 - c) * 0.8)
        .toString(16)
        .padStart(2, "0"),
    )
    .join("")}`;
}

export const PresenceStatusSchema = v.picklist(["active", "idle", "away"]);
export type PresenceStatus = v.InferOutput<typeof PresenceStatusSchema>;

/** The `status` field of an awareness state; anything else reads as active. */
export function readPresenceStatus(state: unknown): PresenceStatus {
  if (typeof state !== "object" || state === null || !("status" in state)) return "active";
  const result = v.safeParse(PresenceStatusSchema, (state as { status: unknown }).status);
  return result.success ? result.output : "active";
}

/** A name made to fit the rule: forbidden characters dropped, spaces collapsed, cut at `maxLength` (room names have their own). */
export function cleanDisplayName(name: string, maxLength: number = LIMITS.maxNameLength): string {
  const cleaned = name.replace(FORBIDDEN_NAME_CHARACTERS, "").trim().replace(/\s+/g, " ").slice(0, maxLength);
  // Cutting at the limit may split a surrogate pair; a lone half is not a character.
  return cleaned.replace(FORBIDDEN_NAME_CHARACTERS, "").trim();
}
