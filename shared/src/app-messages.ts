/**
 * The app lane: our own messages, sent as JSON text frames. Yjs traffic stays
 * on binary frames in standard y-protocols framing, so a stock Yjs provider
 * never sees a frame from this lane (the server sends these only to sockets
 * that opened the lane with `hello`).
 */
import * as v from "valibot";
import { UserSchema } from "./awareness-user.ts";
import { CustomEventSchema, EventSenderSchema } from "./custom-events.ts";
import { ErrorCodeSchema } from "./error-codes.ts";
import { UrlSafeIdSchema } from "./ids.ts";
import { LIMITS } from "./limits.ts";
import { PersonIdSchema } from "./person-id.ts";
import { RoomNameSchema } from "./room-name.ts";
import { VerifiedIdentitySchema } from "./room-token.ts";

/** Bump when a message changes shape; the server closes older clients with `versionMismatch`. */
export const PROTOCOL_VERSION = 1;

// ---- client → server -------------------------------------------------------

const Seq = v.pipe(v.number(), v.integer(), v.minValue(0));

const HelloSchema = v.object({
  type: v.literal("hello"),
  v: v.pipe(v.number(), v.integer()),
  user: v.optional(UserSchema),
  /**
   * The browser's secret person id (see person-id.ts): the room publishes
   * only its hash, counts a person's sockets by it, and ignores any id the
   * client puts in its awareness.
   */
  person: v.optional(PersonIdSchema),
});

/** Client-generated, so a retry after a reconnect is recognised and stored once. */
export const ChatIdSchema = UrlSafeIdSchema;

export const ChatTextSchema = v.pipe(
  v.string(),
  v.check((text) => text.trim().length > 0, "must not be empty"),
  v.maxLength(LIMITS.maxChatMessageLength, `must be at most ${LIMITS.maxChatMessageLength} characters`),
);

const ChatSendSchema = v.object({
  type: v.literal("chat-send"),
  id: ChatIdSchema,
  text: ChatTextSchema,
});

/**
 * Asks for chat history: with `after`, every message after that sequence (in
 * pages, `more` says when to ask again); with `before`, the page before it;
 * with neither, the latest page.
 */
const ChatSyncSchema = v.object({
  type: v.literal("chat-sync"),
  after: v.optional(Seq),
  before: v.optional(Seq),
});

/** A typing lease: renewed while typing, ended with `active: false`; receivers expire it after its time-to-live anyway. */
const TypingSchema = v.object({
  type: v.literal("typing"),
  active: v.boolean(),
});

/**
 * Where a pointer is, anchored to the document's content so it lands on the
 * same text on every screen: a character position plus a pixel offset from
 * that character's top-left corner. `null` hides the pointer.
 */
export const PointerSchema = v.nullable(
  v.object({
    pos: v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(LIMITS.maxDocumentBytes)),
    dx: v.pipe(v.number(), v.finite(), v.minValue(-4000), v.maxValue(4000)),
    dy: v.pipe(v.number(), v.finite(), v.minValue(-4000), v.maxValue(4000)),
  }),
);
export type Pointer = v.InferOutput<typeof PointerSchema>;

/** Ephemeral: the room keeps only the newest per socket and batches them; never stored. */
const PointerMoveSchema = v.object({ type: v.literal("pointer"), at: PointerSchema });

/** Milliseconds since the epoch: when a version was saved, which also names it. */
const VersionTime = v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(8.64e15));

/** Asks for the room's list of saved versions (answered with `versions`). */
const VersionsListSchema = v.object({ type: v.literal("versions-list") });

/** Asks for one saved version's text (answered with `version`, or `error` with `version-not-found`). */
const VersionGetSchema = v.object({ type: v.literal("version-get"), at: VersionTime });
/** Hex SHA-256 of a document's state vector and delete set (see `documentHash`). */
const DocHashSchema = v.pipe(v.string(), v.regex(/^[0-9a-f]{64}$/, "must be a hex SHA-256"));

/**
 * Now and then a synced client sends its document's hash; the room answers
 * with `doc-check` and, on a mismatch, a sync step 1 so both sides resend
 * what the other lacks instead of drifting apart unnoticed.
 */
const DocCheckSchema = v.object({ type: v.literal("doc-check"), hash: DocHashSchema });

/**
 * The answer to `check-in-due`: a socket the room asked looks in, so the room can sweep dead
 * sockets on a cheap message instead of a billed alarm. Sent at any other time, it is ignored.
 */
const CheckInSchema = v.object({ type: v.literal("check-in") });

/**
 * Renames the room for everyone (`""` removes the name). Answered with
 * `room-name` to everyone, the sender included; `view` tokens are refused.
 */
const RoomNameSetSchema = v.object({ type: v.literal("room-name-set"), name: RoomNameSchema });

/**
 * A custom event for everyone else in the room (see custom-events.ts):
 * relayed as `event`, never stored; `view` sockets are refused with `read-only`.
 */
const EventSendSchema = v.object({ type: v.literal("event-send"), event: CustomEventSchema });

export const ClientAppMessageSchema = v.variant("type", [
  EventSendSchema,
  PointerMoveSchema,
  RoomNameSetSchema,
  DocCheckSchema,
  CheckInSchema,
  HelloSchema,
  ChatSendSchema,
  ChatSyncSchema,
  TypingSchema,
  VersionsListSchema,
  VersionGetSchema,
]);
export type ClientAppMessage = v.InferOutput<typeof ClientAppMessageSchema>;
/** Every `type` a client may send on the app lane. */
export type ClientAppMessageType = ClientAppMessage["type"];
/** The client message with this `type`. */
export type ClientAppMessageOf<T extends ClientAppMessageType> = Extract<ClientAppMessage, { type: T }>;

// ---- server → client -------------------------------------------------------

const ByteCount = v.pipe(v.number(), v.integer(), v.minValue(0));

const WelcomeSchema = v.object({
  type: v.literal("welcome"),
  v: v.pipe(v.number(), v.integer()),
  /** The stored document's size now, against `LIMITS.maxDocumentBytes`. */
  docBytes: ByteCount,
  /** Set when the socket came with a room token: who the room knows it as, whatever it says. */
  identity: v.optional(VerifiedIdentitySchema),
});

/** Sent after a Yjs update frame from this socket is stored (or was already known). */
const DocAckSchema = v.object({
  type: v.literal("doc-ack"),
  /** The stored document's size after this update, so clients can warn before the cap. */
  docBytes: ByteCount,
});

/** Sent instead of `doc-ack` when a Yjs update frame from this socket was refused; nothing was stored. */
const DocRejectSchema = v.object({
  type: v.literal("doc-reject"),
  code: ErrorCodeSchema,
  message: v.string(),
});

const ErrorSchema = v.object({
  type: v.literal("error"),
  code: ErrorCodeSchema,
  message: v.string(),
});

/**
 * Who wrote a chat message, as the room stored it: a person's name and
 * colour, or a bot's, posted by the host's backend through the HTTP API
 * (`bot` holds the id the backend gave it; no socket can set it).
 */
export const ChatAuthorSchema = v.object({
  name: UserSchema.entries.name,
  color: UserSchema.entries.color,
  bot: v.optional(UrlSafeIdSchema),
});
export type ChatAuthor = v.InferOutput<typeof ChatAuthorSchema>;

export const ChatMessageSchema = v.object({
  id: ChatIdSchema,
  seq: Seq,
  /** Server time in milliseconds since the epoch, set when the message was stored. */
  at: v.number(),
  author: ChatAuthorSchema,
  text: v.string(),
});
export type ChatMessage = v.InferOutput<typeof ChatMessageSchema>;

/** To the sender, once the message is stored (also for a retried id: same seq, stored once). */
const ChatAckSchema = v.object({ type: v.literal("chat-ack"), message: ChatMessageSchema });

/** To everyone else, once the message is stored. */
const ChatMessageEventSchema = v.object({ type: v.literal("chat-message"), message: ChatMessageSchema });

/** A refused message: nothing was stored. */
const ChatRejectSchema = v.object({
  type: v.literal("chat-reject"),
  id: v.string(),
  code: ErrorCodeSchema,
  message: v.string(),
});

const ChatHistorySchema = v.object({
  type: v.literal("chat-history"),
  /** Oldest first. */
  messages: v.array(ChatMessageSchema),
  /** For an `after` request: there are newer messages still; ask again after the last one. */
  more: v.boolean(),
  /** There are messages older than the first one here. */
  hasEarlier: v.boolean(),
  /** Which kind of request this answers. */
  request: v.picklist(["latest", "after", "before"]),
});

const TypingEventSchema = v.object({
  type: v.literal("typing"),
  /** The typing socket's connection id; a person with two tabs has two. */
  key: v.string(),
  user: UserSchema,
  active: v.boolean(),
  ttlMs: v.number(),
});

export const PointerEntrySchema = v.object({
  /** The moving socket's connection id. */
  key: v.string(),
  user: UserSchema,
  /** `null`: hidden, or the socket left. */
  at: PointerSchema,
});
export type PointerEntry = v.InferOutput<typeof PointerEntrySchema>;

/** At most one per recipient per tick: the newest position of everyone who moved, never the recipient's own. */
const PointersSchema = v.object({ type: v.literal("pointers"), moves: v.array(PointerEntrySchema) });

export const VersionSchema = v.object({
  at: VersionTime,
  /** Size of the snapshot in bytes. */
  bytes: ByteCount,
  /** Display names of the people who edited since the version before. */
  editors: v.array(v.string()),
});
export type Version = v.InferOutput<typeof VersionSchema>;

/** The room's saved versions, oldest first: the answer to `versions-list`, and pushed whenever one is saved. */
const VersionsSchema = v.object({ type: v.literal("versions"), versions: v.array(VersionSchema) });

/** One saved version's document text, for a read-only look and a restore. */
const VersionContentSchema = v.object({ type: v.literal("version"), at: VersionTime, text: v.string() });
/** The answer to a client's `doc-check`; on a mismatch a sync step 1 follows on the binary lane. */
const DocCheckResultSchema = v.object({ type: v.literal("doc-check"), match: v.boolean() });

/**
 * The room asks this one socket to send `check-in` in `afterMs`: the room's next sweep for dead
 * sockets rides on that message. If it never comes, the room's alarm sweeps a little later.
 */
const CheckInDueSchema = v.object({
  type: v.literal("check-in-due"),
  afterMs: v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(60_000)),
});

/**
 * The room's name (`""`: none yet): right after every `welcome`, and to
 * everyone whenever someone renames the room.
 */
const RoomNameEventSchema = v.object({ type: v.literal("room-name"), name: RoomNameSchema });

/** A custom event from someone else in the room, or from the host's backend (`from.kind: "server"`). */
const EventSchema = v.object({ type: v.literal("event"), event: CustomEventSchema, from: EventSenderSchema });

/**
 * The host's backend changed this socket's access (revoked to `view`): from
 * now on the room refuses its writes with `read-only`. (A full revocation
 * closes the socket with `accessRevoked` instead.)
 */
const AccessSchema = v.object({ type: v.literal("access"), identity: VerifiedIdentitySchema });

export const ServerAppMessageSchema = v.variant("type", [
  EventSchema,
  AccessSchema,
  PointersSchema,
  RoomNameEventSchema,
  DocCheckResultSchema,
  CheckInDueSchema,
  WelcomeSchema,
  DocAckSchema,
  DocRejectSchema,
  ErrorSchema,
  ChatAckSchema,
  ChatMessageEventSchema,
  ChatRejectSchema,
  ChatHistorySchema,
  TypingEventSchema,
  VersionsSchema,
  VersionContentSchema,
]);
export type ServerAppMessage = v.InferOutput<typeof ServerAppMessageSchema>;
/** Every `type` the room sends on the app lane (what a client subscribes to). */
export type ServerAppMessageType = ServerAppMessage["type"];
/** The server message with this `type`, e.g. `ServerAppMessageOf<"chat-message">`. */
export type ServerAppMessageOf<T extends ServerAppMessageType> = Extract<ServerAppMessage, { type: T }>;

// ---- parsing ---------------------------------------------------------------

export type ParseResult<T> = { ok: true; value: T } | { ok: false; error: string };

function parseJson<T>(schema: v.GenericSchema<unknown, T>, text: string, maxBytes: number): ParseResult<T> {
  if (text.length > maxBytes) return { ok: false, error: "message too large" };
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    return { ok: false, error: "not JSON" };
  }
  const result = v.safeParse(schema, raw);
  if (!result.success) {
    const issue = result.issues[0];
    const path = issue.path?.map((p) => String(p.key)).join(".") ?? "";
    return { ok: false, error: path ? `${path}: ${issue.message}` : issue.message };
  }
  return { ok: true, value: result.output };
}

export function parseClientAppMessage(text: string, maxBytes: number): ParseResult<ClientAppMessage> {
  return parseJson(ClientAppMessageSchema, text, maxBytes);
}

export function parseServerAppMessage(text: string, maxBytes: number): ParseResult<ServerAppMessage> {
  return parseJson(ServerAppMessageSchema, text, maxBytes);
}
