/**
 * Custom events: an app's own ephemeral messages, relayed to everyone in the
 * room and never stored. A client sends one on the app lane (`event-send`),
 * a host's backend through `POST /api/v1/rooms/:room/events`, an embed's
 * host through its `send-event` command; everyone else receives `event`
 * with who sent it, as the room knows them (never as the sender claims).
 */
import { encodeUtf8 } from "lib0/string";
import * as v from "valibot";
import { UserSchema } from "./awareness-user.ts";
import { LIMITS } from "./limits.ts";

/** 1–64 characters from letters, digits and `. _ : -`, starting with a letter or digit: e.g. `poll:vote`. */
export const CustomEventTypeSchema = v.pipe(
  v.string(),
  v.maxLength(
    LIMITS.maxCustomEventTypeLength,
    `must be at most ${LIMITS.maxCustomEventTypeLength} characters`,
  ),
  v.regex(
    /^[A-Za-z0-9][A-Za-z0-9._:-]*$/,
    "must be letters, digits, . _ : or -, starting with a letter or digit",
  ),
);

/** Any JSON value (parsed from JSON, so nothing else can arrive) of at most `LIMITS.maxCustomEventBytes` as JSON. */
export const CustomEventDataSchema = v.pipe(
  v.unknown(),
  v.check(
    (data) => data === undefined || encodeUtf8(JSON.stringify(data)).byteLength <= LIMITS.maxCustomEventBytes,
    `must be at most ${LIMITS.maxCustomEventBytes} bytes as JSON`,
  ),
);

export const CustomEventSchema = v.object({
  type: CustomEventTypeSchema,
  data: v.optional(CustomEventDataSchema),
});
export type CustomEvent = v.InferOutput<typeof CustomEventSchema>;

/** Who sent a custom event: the host's backend, or a socket as the room knows it. */
export const EventSenderSchema = v.variant("kind", [
  v.object({ kind: v.literal("server") }),
  v.object({
    kind: v.literal("socket"),
    /** The sending socket's connection id (as in `typing` and `pointers`). */
    key: v.string(),
    /** The sender's person id (a token's `sub`, or the public hash of a browser's id), when it has one. */
    person: v.optional(v.string()),
    /** The sender's name and colour, when it said hello with them (a token's, for a verified socket). */
    user: v.optional(UserSchema),
  }),
]);
export type EventSender = v.InferOutput<typeof EventSenderSchema>;
