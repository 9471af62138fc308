/**
 * Awareness states are data, never markup: `sanitiseAwarenessState` rewrites
 * any state to one whose fields a client interprets (`user`, `cursor`,
 * `status`) are well-formed, so a remote string never becomes CSS or HTML in
 * y-codemirror.next or React. The room applies it to every state it stores or
 * relays; the web client applies it again to every state it receives.
 *
 * The rule: a `user` whose `name` or `color` does not fit is dropped (the
 * state stays, shown as an anonymous caret and left out of presence); an
 * invalid `colorLight` is replaced by the tint of `color`; an invalid `id` is
 * left out; unknown fields inside `user` are dropped. An invalid `cursor` or
 * `status` is dropped. Other top-level fields pass through untouched: no
 * Edgeroom client reads them.
 */
import * as v from "valibot";
import {
  AwarenessUserSchema,
  ColorSchema,
  DisplayNameSchema,
  PresenceStatusSchema,
  lightTint,
  type AwarenessUser,
} from "./awareness-user.ts";
import { DOCUMENT_TEXT } from "./document.ts";

const Uint = v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(Number.MAX_SAFE_INTEGER));
const IdSchema = v.object({ client: Uint, clock: Uint });
/**
 * A Yjs relative position as `JSON.stringify` writes it (y-codemirror.next's
 * cursor ends). Absent parts become `null`, as Yjs expects; a root type may
 * only be named as the document's text, since Yjs creates any root it is
 * asked to resolve, and a position naming nothing makes Yjs throw.
 */
const RelativePositionSchema = v.pipe(
  v.object({
    type: v.nullish(IdSchema, null),
    tname: v.nullish(v.literal(DOCUMENT_TEXT), null),
    item: v.nullish(IdSchema, null),
    assoc: v.optional(v.pipe(v.number(), v.integer()), 0),
  }),
  v.check((p) => p.item !== null || p.tname !== null || p.type !== null, "must name a position"),
);
const CursorSchema = v.nullable(v.object({ anchor: RelativePositionSchema, head: RelativePositionSchema }));

/** The user a state may carry, rebuilt from its valid fields; undefined when name or colour do not fit. */
export function sanitiseAwarenessUser(raw: unknown): AwarenessUser | undefined {
  if (typeof raw !== "object" || raw === null || Array.isArray(raw)) return undefined;
  const fields = raw as Record<string, unknown>;
  const name = v.safeParse(DisplayNameSchema, fields["name"]);
  const color = v.safeParse(ColorSchema, fields["color"]);
  if (!name.success || !color.success) return undefined;
  const colorLight = v.safeParse(ColorSchema, fields["colorLight"]);
  const id = v.safeParse(AwarenessUserSchema.entries.id, fields["id"]);
  return {
    name: name.output,
    color: color.output,
    colorLight: colorLight.success ? colorLight.output : lightTint(color.output),
    ...(id.success && id.output !== undefined ? { id: id.output } : {}),
  };
}

/** A state safe to store, relay and render; `null` (the client left) stays `null`. */
export function sanitiseAwarenessState(state: unknown): Record<string, unknown> | null {
  if (state === null) return null;
  if (typeof state !== "object" || Array.isArray(state)) return {};
  const clean: Record<string, unknown> = { ...(state as Record<string, unknown>) };
  if ("user" in clean) {
    const user = sanitiseAwarenessUser(clean["user"]);
    if (user) clean["user"] = user;
    else delete clean["user"];
  }
  if ("cursor" in clean) {
    const cursor = v.safeParse(CursorSchema, clean["cursor"]);
    if (cursor.success) clean["cursor"] = cursor.output;
    else delete clean["cursor"];
  }
  if ("status" in clean && !v.is(PresenceStatusSchema, clean["status"])) delete clean["status"];
  return clean;
}

/** The same rule on a state's JSON text (the room keeps states as text); text that is not JSON reads as `{}`. */
export function readAwarenessStateJson(stateJson: string): Record<string, unknown> | null {
  let state: unknown;
  try {
    state = JSON.parse(stateJson);
  } catch {
    state = {};
  }
  return sanitiseAwarenessState(state);
}

export function sanitiseAwarenessStateJson(stateJson: string): string {
  return JSON.stringify(readAwarenessStateJson(stateJson));
}
