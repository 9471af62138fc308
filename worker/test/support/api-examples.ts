/** One well-formed call per endpoint, so tests can walk every route the router serves. */
import type { ApiInit } from "./api-client.ts";

export interface ExampleCall {
  method: string;
  path: string;
  init?: ApiInit;
}

export function exampleCalls(room: string): Record<string, ExampleCall> {
  return {
    listRooms: { method: "GET", path: "/api/v1/rooms?prefix=a" },
    getRoom: { method: "GET", path: `/api/v1/rooms/${room}` },
    deleteRoom: { method: "DELETE", path: `/api/v1/rooms/${room}` },
    getDocument: { method: "GET", path: `/api/v1/rooms/${room}/document?format=text` },
    writeDocument: {
      method: "POST",
      path: `/api/v1/rooms/${room}/document`,
      init: { json: { text: "hello", mode: "append" } },
    },
    getChat: { method: "GET", path: `/api/v1/rooms/${room}/chat?after=0&limit=5` },
    postChat: {
      method: "POST",
      path: `/api/v1/rooms/${room}/chat`,
      init: { json: { id: "example-0001", author: { id: "bot-00001", name: "Bot" }, text: "hi" } },
    },
    getPeople: { method: "GET", path: `/api/v1/rooms/${room}/people` },
    postEvent: { method: "POST", path: `/api/v1/rooms/${room}/events`, init: { json: { type: "ping" } } },
    revokeAccess: {
      method: "POST",
      path: `/api/v1/rooms/${room}/revoke`,
      init: { json: { sub: "person-0001" } },
    },
    getOpenApi: { method: "GET", path: "/api/v1/openapi.json" },
  };
}
