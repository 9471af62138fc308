/**
 * The events a room sends to the host's `WEBHOOK_URL`, signed per the
 * Standard Webhooks specification (see docs/api.md). Every body is
 * `{ type, room, at, data }`, plus `dropped` when the room's outbox had to
 * drop older events (it holds `LIMITS.maxWebhookOutbox`) before this one.
 */
import * as v from "valibot";
import { ChatMessageSchema, VersionSchema } from "./app-messages.ts";
import { ColorSchema, DisplayNameSchema } from "./awareness-user.ts";
import { RoomIdSchema } from "./ids.ts";

const Count = v.pipe(v.number(), v.integer(), v.minValue(0));

/** A person as webhooks name them: their person id (a token's `sub`, or `anon-…`), and name and colour when known. */
export const WebhookPersonSchema = v.object({
  id: v.string(),
  name: v.optional(DisplayNameSchema),
  color: v.optional(ColorSchema),
});

/** Each event type with the shape of its `data`. */
export const WEBHOOK_EVENT_DATA = {
  /** The first person arrived in an empty room. */
  "room.occupied": v.object({ people: Count }),
  /** The last person left. */
  "room.vacated": v.object({ people: Count }),
  /** A person's first socket joined (once per person, however many tabs). */
  "person.joined": v.object({ person: WebhookPersonSchema, people: Count }),
  /** A person's last socket left. */
  "person.left": v.object({ person: WebhookPersonSchema, people: Count }),
  /** A chat message was stored (from a socket or the HTTP API). */
  "chat.message": v.object({ message: ChatMessageSchema }),
  /** The document changed; sent on the snapshot schedule (after a quiet spell, at most every so often while edits go on). */
  "document.updated": v.object({ bytes: Count, editors: v.array(v.string()) }),
  /** A version of the document was stored in R2. */
  "snapshot.stored": v.object({ version: VersionSchema }),
} as const;

export type WebhookEventType = keyof typeof WEBHOOK_EVENT_DATA;
export const WEBHOOK_EVENT_TYPES = Object.keys(WEBHOOK_EVENT_DATA) as WebhookEventType[];

/** One event as the room logic raises it (the room and time are added when it enters the outbox). */
export type WebhookEvent = {
  [T in WebhookEventType]: { type: T; data: v.InferOutput<(typeof WEBHOOK_EVENT_DATA)[T]> };
}[WebhookEventType];

/** The JSON body of one webhook request. */
export const WebhookBodySchema = v.variant(
  "type",
  WEBHOOK_EVENT_TYPES.map((type) =>
    v.object({
      type: v.literal(type),
      room: RoomIdSchema,
      /** When the event happened (epoch ms), not when it was delivered. */
      at: v.pipe(v.number(), v.integer()),
      data: WEBHOOK_EVENT_DATA[type],
      /** Older events the outbox dropped (full, or undelivered for a day) since the last delivery. */
      dropped: v.optional(Count),
    }),
  ),
);
export type WebhookBody = WebhookEvent & { room: string; at: number; dropped?: number };
