/**
 * The Pusher HTTP API as Edgeroom serves it at `/apps/<id>/…` (what the
 * `pusher` server SDKs call): the bodies of `events`, `batch_events` and
 * `terminate_connections`, the `info` attributes a caller may ask for, and
 * the bounds. Pusher's published limits where it has them (10 KB of data
 * per event, 100 channels per trigger, 10 events per batch, 200-character
 * event names, a 600 s signature window); Edgeroom's for the rest. And
 * the Pusher-format webhooks Edgeroom sends, which are HTTP requests too.
 */
import * as v from "valibot";

export const PUSHER_HTTP_LIMITS = {
  /** An event's `data`, in UTF-8 bytes (Pusher: 10 KB); over it: 413. */
  maxEventDataBytes: 10 * 1024,
  /** Channels one event goes to (Pusher: 100). */
  maxChannelsPerEvent: 100,
  /** Events in one `batch_events` call (Pusher: 10). */
  maxBatchEvents: 10,
  /** Event names, in characters (Pusher: 200). */
  maxEventNameLength: 200,
  /**
   * A whole request body: a full batch, or 100 channel names with 10 KB of data, with room for JSON
   * escaping (which can make a string several times its length). Over it: 413, before anything is parsed.
   */
  maxBodyBytes: 256 * 1024,
  /** How far `auth_timestamp` may be from the server's clock, either way (Pusher: 600 s). */
  timestampToleranceSeconds: 600,
  /** `GET /channels` lists at most this many; more occupied channels under the prefix: 400 (narrow the prefix). */
  maxListedChannels: 1000,
  /** With `info` (each channel asked for its counts), `GET /channels` covers at most this many. */
  maxChannelsWithInfo: 100,
} as const;

/** Event names the server keeps for itself: the protocol's and Edgeroom's internal control frames. */
export const RESERVED_EVENT_PREFIXES = ["pusher:", "pusher_internal:", "edgeroom_internal:"] as const;

/** What `info` may ask for about a channel: subscribers, and distinct users on presence channels. */
export const CHANNEL_INFO_ATTRIBUTES = ["subscription_count", "user_count"] as const;
export type ChannelInfoAttribute = (typeof CHANNEL_INFO_ATTRIBUTES)[number];

/** Pusher's socket ids: `<digits>.<digits>` (the SDKs refuse to sign any other). */
export const SocketIdSchema = v.pipe(
  v.string("socket_id must be a string"),
  v.regex(/^\d{1,20}\.\d{1,20}$/, "socket_id must look like 123.456"),
);

const EventNameSchema = v.pipe(
  v.string("name must be a string"),
  v.minLength(1, "name is empty"),
  v.maxLength(
    PUSHER_HTTP_LIMITS.maxEventNameLength,
    `name is at most ${PUSHER_HTTP_LIMITS.maxEventNameLength} characters`,
  ),
  v.check(
    (name) => !RESERVED_EVENT_PREFIXES.some((prefix) => name.startsWith(prefix)),
    `name may not start with ${RESERVED_EVENT_PREFIXES.join(", ")}`,
  ),
);

/** Channel names are checked by the channel-name rules afterwards; here only their type and count. */
const ChannelFieldSchema = v.string("channel must be a string");

/** `info` as a comma-separated list; which attributes fit which channels is decided per channel. */
const InfoSchema = v.pipe(v.string("info must be a string"), v.maxLength(200, "info is too long"));

/** Pusher's `data` is a string (the SDKs JSON-encode objects before sending). Its size is checked apart (413). */
const DataSchema = v.string("data must be a string (JSON-encode objects)");

/** `POST /apps/<id>/events`: one event to `channel` or to each of `channels`. */
export const TriggerBodySchema = v.pipe(
  v.object({
    name: EventNameSchema,
    data: DataSchema,
    channel: v.optional(ChannelFieldSchema),
    channels: v.optional(
      v.pipe(
        v.array(ChannelFieldSchema, "channels must be an array of channel names"),
        v.minLength(1, "channels is empty"),
        v.maxLength(
          PUSHER_HTTP_LIMITS.maxChannelsPerEvent,
          `channels holds at most ${PUSHER_HTTP_LIMITS.maxChannelsPerEvent} names`,
        ),
      ),
    ),
    socket_id: v.optional(SocketIdSchema),
    info: v.optional(InfoSchema),
  }),
  v.check(
    (body) => (body.channel === undefined) !== (body.channels === undefined),
    "give either channel or channels, not both or neither",
  ),
);
export type TriggerBody = v.InferOutput<typeof TriggerBodySchema>;

/** One event of a batch: always a single `channel`. */
export const BatchEventSchema = v.object({
  name: EventNameSchema,
  data: DataSchema,
  channel: ChannelFieldSchema,
  socket_id: v.optional(SocketIdSchema),
  info: v.optional(InfoSchema),
});
export type BatchEvent = v.InferOutput<typeof BatchEventSchema>;

/** `POST /apps/<id>/batch_events`. */
export const BatchBodySchema = v.object({
  batch: v.pipe(
    v.array(BatchEventSchema, "batch must be an array of events"),
    v.minLength(1, "batch is empty"),
    v.maxLength(
      PUSHER_HTTP_LIMITS.maxBatchEvents,
      `batch holds at most ${PUSHER_HTTP_LIMITS.maxBatchEvents} events`,
    ),
  ),
});
export type BatchBody = v.InferOutput<typeof BatchBodySchema>;

/** `POST /apps/<id>/users/<user>/terminate_connections`: the SDK sends `{}`; nothing in it is read. */
export const TerminateBodySchema = v.custom<Record<string, unknown>>(
  // Not v.object: valibot's object schemas take an array as an object with index keys.
  (body) => typeof body === "object" && body !== null && !Array.isArray(body),
  "the body must be a JSON object",
);

/**
 * Pusher-format webhooks, which Edgeroom POSTs to `PUSHER_WEBHOOK_URL`:
 * `{ time_ms, events }`, signed with `X-Pusher-Key` and `X-Pusher-Signature`
 * (hex HMAC-SHA256 of the raw body under the app's secret), as the SDKs'
 * `webhook(...).isValid()` checks.
 */
const WebhookChannelSchema = v.string();
export const PusherWebhookEventSchema = v.variant("name", [
  v.object({ name: v.literal("channel_occupied"), channel: WebhookChannelSchema }),
  v.object({ name: v.literal("channel_vacated"), channel: WebhookChannelSchema }),
  v.object({ name: v.literal("member_added"), channel: WebhookChannelSchema, user_id: v.string() }),
  v.object({ name: v.literal("member_removed"), channel: WebhookChannelSchema, user_id: v.string() }),
  v.object({
    name: v.literal("client_event"),
    channel: WebhookChannelSchema,
    event: v.string(),
    /** The client's data as a string (JSON-encoded when the client sent an object). */
    data: v.string(),
    socket_id: v.string(),
    /** Presence channels: the sender's user id. */
    user_id: v.optional(v.string()),
  }),
]);
export type PusherWebhookEvent = v.InferOutput<typeof PusherWebhookEventSchema>;

export const PusherWebhookBodySchema = v.object({
  /** When the request was made (epoch ms). */
  time_ms: v.pipe(v.number(), v.integer()),
  events: v.array(PusherWebhookEventSchema),
});
export type PusherWebhookBody = v.InferOutput<typeof PusherWebhookBodySchema>;
