/** A room as a whole: what it holds, who is in it, events to everyone, taking access back, deleting it. */
import {
  EventPostSchema,
  EventSentSchema,
  PeopleSchema,
  RevokedSchema,
  RevokeSchema,
  RoomDeletedSchema,
  RoomInfoSchema,
} from "@edgeroom/shared";
import { jsonResponse } from "./api-response.ts";
import { defineRoute } from "./route.ts";

export const roomInfoRoute = defineRoute({
  method: "GET",
  path: "/rooms/{room}",
  operationId: "getRoom",
  summary: "What a room holds",
  description: "A room never used answers with zeros.",
  responses: { 200: { description: "The room's summary.", json: RoomInfoSchema } },
  handle: async ({ room }) => jsonResponse(await (await room()).apiInfo()),
});

export const deleteRoomRoute = defineRoute({
  method: "DELETE",
  path: "/rooms/{room}",
  operationId: "deleteRoom",
  summary: "Delete a room",
  description:
    "Deletes the document, chat, saved versions and the private flag, and closes open sockets with close code 4410 (room deleted). The next visitor finds an empty room.",
  responses: { 200: { description: "Deleted.", json: RoomDeletedSchema } },
  handle: async ({ room }) => {
    const { closedSockets } = await (await room()).apiDelete();
    return jsonResponse({ deleted: true, closedSockets });
  },
});

export const peopleRoute = defineRoute({
  method: "GET",
  path: "/rooms/{room}/people",
  operationId: "getPeople",
  summary: "Who is in the room now",
  description:
    "One entry per person (a verified `sub`, or one anonymous browser), however many sockets they hold.",
  responses: { 200: { description: "The people in the room.", json: PeopleSchema } },
  handle: async ({ room }) => jsonResponse(await (await room()).apiPeople()),
});

export const eventsRoute = defineRoute({
  method: "POST",
  path: "/rooms/{room}/events",
  operationId: "postEvent",
  summary: "Send a custom event to everyone in the room",
  description:
    'Ephemeral: never stored. Sockets receive `{ "type": "event", "event", "from": { "kind": "server" } }`.',
  body: { json: EventPostSchema },
  responses: {
    200: { description: "Sent; `delivered` counts the sockets it went to.", json: EventSentSchema },
  },
  handle: async ({ room, json }) => jsonResponse(await (await room()).apiEvent(json!)),
});

export const revokeRoute = defineRoute({
  method: "POST",
  path: "/rooms/{room}/revoke",
  operationId: "revokeAccess",
  summary: "Take a person's access back",
  description:
    'Closes the sockets of `sub` (close code 4405), or with `scope: "view"` makes them read-only; their older tokens are refused from now on.',
  body: { json: RevokeSchema },
  responses: { 200: { description: "What happened to the person's sockets.", json: RevokedSchema } },
  handle: async ({ room, json }) => jsonResponse(await (await room()).apiRevoke(json!)),
});
