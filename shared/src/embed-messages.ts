/**
 * The host page API: messages between an embedded room (the iframe) and the
 * page that embeds it, over `postMessage`. Both sides parse every message
 * with these schemas; the embed sends only to its verified parent origin and
 * listens only to it.
 */
import * as v from "valibot";
import { AwarenessUserSchema, PresenceStatusSchema } from "./awareness-user.ts";
import { CustomEventSchema, EventSenderSchema } from "./custom-events.ts";
import { UrlSafeIdSchema } from "./ids.ts";
import { isCompactJws, ScopeSchema } from "./room-token.ts";

/** Every message carries this, so both sides can ignore unrelated `postMessage` traffic. */
export const EMBED_CHANNEL = "edgeroom";

export const EmbedModeSchema = ScopeSchema;
export type EmbedMode = v.InferOutput<typeof EmbedModeSchema>;
export const EmbedThemeSchema = v.picklist(["light", "dark", "auto"]);
export type EmbedTheme = v.InferOutput<typeof EmbedThemeSchema>;

const channel = v.literal(EMBED_CHANNEL);
const name = AwarenessUserSchema.entries.name;
const color = AwarenessUserSchema.entries.color;

// ---- embed → host ----------------------------------------------------------

export const EmbedEventSchema = v.variant("type", [
  /** The embed listens now; send settings (and a token for private rooms) after this. */
  v.object({ channel, type: v.literal("ready"), room: v.string(), mode: EmbedModeSchema }),
  /** Everyone in the room, one entry per person, whenever that changes. */
  v.object({
    channel,
    type: v.literal("presence"),
    people: v.array(v.object({ name, color, status: PresenceStatusSchema, isSelf: v.boolean() })),
  }),
  /** A new chat message was stored (anyone's, including this person's). */
  v.object({
    channel,
    type: v.literal("chat-message"),
    message: v.object({
      seq: v.number(),
      at: v.number(),
      /** `bot`: the id of the bot the host's backend posted as (through the HTTP API); absent for people. */
      author: v.object({ name, color, bot: v.optional(UrlSafeIdSchema) }),
      text: v.string(),
    }),
  }),
  /**
   * A custom event someone else in the room sent (another embed's host, a
   * person's page) or the host's backend (`from.kind: "server"`), with the
   * sender as the room knows it. The embed's own `send-event`s do not echo.
   */
  v.object({ channel, type: v.literal("event"), event: CustomEventSchema, from: EventSenderSchema }),
  /**
   * A host command the embed could not carry out: `read-only` (a view-mode
   * embed or a view token sends no events), `not-connected` (not in the room
   * right now; events are ephemeral, so nothing is queued).
   */
  v.object({
    channel,
    type: v.literal("error"),
    command: v.literal("send-event"),
    code: v.picklist(["read-only", "not-connected"]),
    message: v.string(),
  }),
  /** The room refused the token (`expired`) or needs one (`required`): answer with `set-token`. */
  v.object({
    channel,
    type: v.literal("token-needed"),
    reason: v.picklist(["expired", "required", "invalid"]),
  }),
]);
export type EmbedEvent = v.InferOutput<typeof EmbedEventSchema>;

// ---- host → embed ----------------------------------------------------------

export const HostCommandSchema = v.variant("type", [
  v.object({ channel, type: v.literal("set-user"), name: v.optional(name), color: v.optional(color) }),
  v.object({ channel, type: v.literal("set-theme"), theme: EmbedThemeSchema }),
  v.object({ channel, type: v.literal("set-mode"), mode: EmbedModeSchema }),
  v.object({
    channel,
    type: v.literal("set-token"),
    token: v.pipe(v.string(), v.check(isCompactJws, "must be a compact JWT")),
  }),
  /** Sends a custom event to everyone else in the room (see custom-events.ts for its limits). */
  v.object({ channel, type: v.literal("send-event"), event: CustomEventSchema }),
]);
export type HostCommand = v.InferOutput<typeof HostCommandSchema>;

export function parseHostCommand(data: unknown): HostCommand | undefined {
  const result = v.safeParse(HostCommandSchema, data);
  return result.success ? result.output : undefined;
}

export function parseEmbedEvent(data: unknown): EmbedEvent | undefined {
  const result = v.safeParse(EmbedEventSchema, data);
  return result.success ? result.output : undefined;
}

/**
 * What `/embed-config.json` answers: the origins allowed to frame and talk to embeds, and the
 * deploy's room-token endpoint (`ROOM_TOKEN_ENDPOINT`), which the `/r/<id>` page asks for tokens.
 */
export const EmbedConfigSchema = v.object({
  allowedOrigins: v.array(v.pipe(v.string(), v.url())),
  roomTokenEndpoint: v.optional(v.pipe(v.string(), v.url(), v.check(isHttpUrl, "must be http(s)"))),
});
export type EmbedConfig = v.InferOutput<typeof EmbedConfigSchema>;

/** An absolute http(s) URL with a host (a token endpoint must not be a `javascript:` or `data:` one). */
export function isHttpUrl(value: string): boolean {
  return /^https?:\/\/[^\s/?#]+(?:[/?#]\S*)?$/i.test(value);
}

export function parseEmbedConfig(data: unknown): EmbedConfig | undefined {
  const result = v.safeParse(EmbedConfigSchema, data);
  return result.success ? result.output : undefined;
}
