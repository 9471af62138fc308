/** Every endpoint of `/api/v1`: the router serves exactly these, and the OpenAPI document lists exactly these. */
import { jsonResponse } from "./api-response.ts";
import { getChatRoute, postChatRoute } from "./chat-routes.ts";
import { getDocumentRoute, writeDocumentRoute } from "./document-routes.ts";
import { buildOpenApi } from "./openapi.ts";
import { defineRoute, type ApiRoute } from "./route.ts";
import { listRoomsRoute } from "./room-list.ts";
import { deleteRoomRoute, eventsRoute, peopleRoute, revokeRoute, roomInfoRoute } from "./room-routes.ts";

let openApiDocument: Record<string, unknown> | undefined;

const openApiRoute = defineRoute({
  method: "GET",
  path: "/openapi.json",
  public: true,
  operationId: "getOpenApi",
  summary: "This API's OpenAPI 3.1 document",
  responses: {
    200: { description: "The OpenAPI document.", media: { "application/json": { type: "object" } } },
  },
  handle: async () => jsonResponse((openApiDocument ??= buildOpenApi(API_ROUTES))),
});

export const API_ROUTES: readonly ApiRoute[] = [
  listRoomsRoute,
  roomInfoRoute,
  deleteRoomRoute,
  getDocumentRoute,
  writeDocumentRoute,
  getChatRoute,
  postChatRoute,
  peopleRoute,
  eventsRoute,
  revokeRoute,
  openApiRoute,
];
