/**
 * What the HTTP API asks of one room: the Durable Object's RPC methods
 * (durable/room-server.ts implements them). Bodies arrive here already
 * validated by the shared schemas (shared/src/api.ts); a write goes through
 * the same room logic, limits and durability rule as a socket's, so it is
 * stored before the method returns.
 */
import type {
  ApiErrorCode,
  ChatMessage,
  ChatPage,
  ChatPost,
  CustomEvent,
  DocumentFormat,
  DocumentTextWrite,
  Person,
  Revoke,
  RoomInfo,
} from "@edgeroom/shared";

export type ApiOutcome<T> = { ok: true; value: T } | { ok: false; code: ApiErrorCode; message: string };

export interface RoomApi {
  /** `{ room, private, people, documentBytes, lastEditAt, versions }`; zeros for a room never used. */
  apiInfo(): Promise<RoomInfo>;
  /** The document: its text (for `text` and `markdown`), or its whole state as one Yjs update (`yjs`). */
  apiDocument(format: DocumentFormat): Promise<string | Uint8Array>;
  /** Applies a Yjs update as a server change: stored, then relayed to everyone. */
  apiWriteUpdate(update: Uint8Array): Promise<ApiOutcome<{ documentBytes: number }>>;
  /** Appends `text`, or replaces the document's text with the smallest change. */
  apiWriteText(write: DocumentTextWrite): Promise<ApiOutcome<{ documentBytes: number }>>;
  /** Up to `limit` messages after `after` (0: from the oldest kept), oldest first. */
  apiChat(after: number, limit: number): Promise<ChatPage>;
  /** Stores a bot's message (once per `id`) and shows it in the room; `stored` is false for a repeated id. */
  apiPostChat(post: ChatPost): Promise<{ message: ChatMessage; stored: boolean }>;
  /** One entry per person in the room now. */
  apiPeople(): Promise<{ people: Person[] }>;
  /** A custom event from the server to every app-lane socket; `delivered` counts them. */
  apiEvent(event: CustomEvent): Promise<{ delivered: number }>;
  /** Closes (or, with `scope: "view"`, downgrades) the sockets of `sub`, and refuses its older tokens from now on. */
  apiRevoke(revoke: Revoke): Promise<{ closedSockets: number; downgradedSockets: number }>;
  /** Deletes the document, chat, versions in R2 and the private flag; closes open sockets with `roomDeleted`. */
  apiDelete(): Promise<{ closedSockets: number }>;
}
