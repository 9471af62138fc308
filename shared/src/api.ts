/**
 * The HTTP API a host's backend calls (`/api/v1`, bearer `EDGEROOM_API_SECRET`):
 * the schemas of every request body, query and answer. The Worker validates
 * with them and generates its OpenAPI document from them (docs/api.md).
 */
import * as v from "valibot";
import { ChatIdSchema, ChatMessageSchema, ChatTextSchema } from "./app-messages.ts";
import { ColorSchema, DisplayNameSchema, PresenceStatusSchema } from "./awareness-user.ts";
import { CustomEventSchema } from "./custom-events.ts";
import { RoomIdSchema, UrlSafeIdSchema } from "./ids.ts";
import { LIMITS } from "./limits.ts";
import { PersonIdSchema } from "./person-id.ts";

const Count = v.pipe(v.number(), v.integer(), v.minValue(0));
/** A query parameter that must be a whole number in a range (query values arrive as strings). */
const QueryInteger = (min: number, max: number) =>
  v.pipe(
    v.string(),
    v.regex(/^\d{1,16}$/, "must be a whole number"),
    v.transform(Number),
    v.minValue(min),
    v.maxValue(max),
  );

// ---- errors ------------------------------------------------------------------

export const ApiErrorCode = {
  /** No `EDGEROOM_API_SECRET` is set: the API is off. */
  apiDisabled: "api-disabled",
  /** No bearer token, or the wrong one. */
  unauthorized: "unauthorized",
  /** The body, a query parameter or the room name failed validation; `message` says which. */
  badRequest: "bad-request",
  notFound: "not-found",
  methodNotAllowed: "method-not-allowed",
  unsupportedMediaType: "unsupported-media-type",
  payloadTooLarge: "payload-too-large",
  /** The write would take the document past `LIMITS.maxDocumentBytes`. */
  documentTooLarge: "document-too-large",
  /** The Yjs update costs more than the room allows one change (as for a socket). */
  tooCostly: "too-costly",
  internal: "internal",
} as const;
export type ApiErrorCode = (typeof ApiErrorCode)[keyof typeof ApiErrorCode];

export const ApiErrorSchema = v.object({
  error: v.object({ code: v.picklist(Object.values(ApiErrorCode)), message: v.string() }),
});
export type ApiError = v.InferOutput<typeof ApiErrorSchema>;

// ---- rooms -------------------------------------------------------------------

export const ApiRoomIdSchema = RoomIdSchema;

/** `GET /api/v1/rooms/:room`; a room never used answers with zeros. */
export const RoomInfoSchema = v.object({
  room: RoomIdSchema,
  private: v.boolean(),
  /** People in the room now (one per person, however many sockets). */
  people: Count,
  /** The stored document's size. */
  documentBytes: Count,
  /** When the document last changed (epoch ms), or null if never. */
  lastEditAt: v.nullable(Count),
  /** Saved versions in R2. */
  versions: Count,
});
export type RoomInfo = v.InferOutput<typeof RoomInfoSchema>;

/** `GET /api/v1/rooms?prefix=&cursor=`: rooms that have snapshots in R2. */
export const RoomListQuerySchema = v.object({
  prefix: v.optional(
    v.pipe(v.string(), v.regex(/^[A-Za-z0-9_-]*$/, "must be letters, digits, - or _"), v.maxLength(64)),
  ),
  cursor: v.optional(v.pipe(v.string(), v.minLength(1), v.maxLength(1024))),
});
export const RoomListSchema = v.object({
  rooms: v.array(v.object({ room: RoomIdSchema })),
  /** Pass as `cursor` for the next page; null on the last one. */
  cursor: v.nullable(v.string()),
});
export type RoomList = v.InferOutput<typeof RoomListSchema>;

/** `DELETE /api/v1/rooms/:room`. */
export const RoomDeletedSchema = v.object({ deleted: v.literal(true), closedSockets: Count });

// ---- document ----------------------------------------------------------------

export const DocumentFormatSchema = v.picklist(["text", "markdown", "yjs"]);
export type DocumentFormat = v.InferOutput<typeof DocumentFormatSchema>;
export const DocumentQuerySchema = v.object({ format: v.optional(DocumentFormatSchema, "text") });

/** `POST /api/v1/rooms/:room/document` with a JSON body (a Yjs update goes as `application/octet-stream`). */
export const DocumentTextWriteSchema = v.object({
  text: v.pipe(v.string(), v.maxLength(LIMITS.maxDocumentBytes)),
  /** `append` adds `text` at the end; `replace` makes the document `text` with the smallest change. */
  mode: v.picklist(["append", "replace"]),
});
export type DocumentTextWrite = v.InferOutput<typeof DocumentTextWriteSchema>;
export const DocumentWrittenSchema = v.object({ documentBytes: Count });

// ---- chat --------------------------------------------------------------------

export const ChatQuerySchema = v.object({
  /** Messages after this sequence number (0, or absent: from the oldest kept). */
  after: v.optional(QueryInteger(0, Number.MAX_SAFE_INTEGER)),
  limit: v.optional(QueryInteger(1, LIMITS.apiChatPageMax)),
});
export const ChatPageSchema = v.object({
  /** Oldest first. */
  messages: v.array(ChatMessageSchema),
  /** Pass as `after` for the next page; null when these are the newest. */
  next: v.nullable(Count),
});
export type ChatPage = v.InferOutput<typeof ChatPageSchema>;

/** `POST /api/v1/rooms/:room/chat`: posted as a bot; a repeated `id` is stored once and answered with the original. */
export const ChatPostSchema = v.object({
  id: ChatIdSchema,
  author: v.object({ id: UrlSafeIdSchema, name: DisplayNameSchema, color: v.optional(ColorSchema) }),
  text: ChatTextSchema,
});
export type ChatPost = v.InferOutput<typeof ChatPostSchema>;
export const ChatPostedSchema = v.object({ message: ChatMessageSchema });

// ---- people, events, access --------------------------------------------------

export const PersonSchema = v.object({
  /** A token's `sub`, or `anon-…` for an anonymous browser. */
  id: v.string(),
  name: v.string(),
  color: v.string(),
  status: PresenceStatusSchema,
  /** Open sockets (tabs) this person holds in the room. */
  sockets: Count,
});
export type Person = v.InferOutput<typeof PersonSchema>;
export const PeopleSchema = v.object({ people: v.array(PersonSchema) });

/** `POST /api/v1/rooms/:room/events`: `{ type, data }` to everyone in the room, from the server. */
export const EventPostSchema = CustomEventSchema;
export const EventSentSchema = v.object({ delivered: Count });

/** `POST /api/v1/rooms/:room/revoke`: closes the person's sockets, or with `scope: "view"` makes them read-only. */
export const RevokeSchema = v.object({ sub: PersonIdSchema, scope: v.optional(v.literal("view")) });
export type Revoke = v.InferOutput<typeof RevokeSchema>;
export const RevokedSchema = v.object({ closedSockets: Count, downgradedSockets: Count });
