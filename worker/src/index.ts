/**
 * The Worker: `/parties/room/<roomId>` goes to that room's Durable Object
 * (one object per room, addressed by name) once the name, the Origin and
 * any room token pass; `/api/…` is the HTTP API for a host's backend
 * (api/router.ts); everything else is the web app, served from static
 * assets with a single-page fallback. Every response carries the
 * `frame-ancestors` policy, and no response carries an error's details.
 * `/app/<key>` is the Pusher Channels socket (pusher/connection/) and
 * `/apps/<id>/…` its HTTP API (pusher/http/) when a Pusher app is configured.
 */
import { gateRoomSocket, roomRequest } from "./access/connect-gate.ts";
import { embedConfigResponse, withFrameAncestors } from "./access/page-headers.ts";
import { readPartyPath } from "./access/party-path.ts";
import { routeApi } from "./api/router.ts";
import { withSelectedSubprotocol } from "./access/subprotocol.ts";
import { benchProbe } from "./durable/bench-probe.ts";
import { routeInspect } from "./inspect/inspect-route.ts";
import { routePusherSocket } from "./pusher/connection/pusher-socket-route.ts";
import { PUSHER_API_PREFIX, routePusherApi } from "./pusher/http/pusher-api-router.ts";

export { Room } from "./durable/room-server.ts";
export { PusherChannel } from "./pusher/channel/pusher-channel.ts";
export { PusherDirectory } from "./pusher/directory/pusher-directory.ts";

export default {
  async fetch(request, env): Promise<Response> {
    let response: Response;
    try {
      response = await route(request, env);
    } catch (error) {
      // The details go to the log; a client learns only that it failed.
      console.error("Edgeroom: request failed:", request.method, new URL(request.url).pathname, error);
      response = new Response("Something went wrong.", { status: 500 });
    }
    return withFrameAncestors(response, env);
  },
} satisfies ExportedHandler<Env>;

async function route(request: Request, env: Env): Promise<Response> {
  const url = new URL(request.url);
  const probe = benchProbe(url, env);
  if (probe) return probe;
  const inspected = await routeInspect(request, env, url);
  if (inspected) return inspected;
  if (url.pathname.startsWith("/parties/")) return routeRoom(request, env, url);
  if (url.pathname.startsWith("/api/")) return routeApi(request, env, url);
  if (url.pathname.startsWith("/app/")) return routePusherSocket(request, env, url);
  if (url.pathname.startsWith(PUSHER_API_PREFIX)) return routePusherApi(request, env, url);
  if (url.pathname === "/embed-config.json") return embedConfigResponse(env);
  return env.ASSETS.fetch(request);
}

/** Everything here is decided before a Durable Object is addressed, because addressing one creates it. */
async function routeRoom(request: Request, env: Env, url: URL): Promise<Response> {
  const path = readPartyPath(url.pathname);
  if (path.kind === "not-found") return new Response("Not found", { status: 404 });
  if (path.kind === "bad-name") {
    return new Response("Invalid room name: use 1–64 letters, digits, - or _.", { status: 400 });
  }
  if (request.method !== "GET") {
    return new Response("Room sockets are opened with GET.", { status: 405, headers: { Allow: "GET" } });
  }
  if (request.headers.get("Upgrade")?.toLowerCase() !== "websocket") {
    return new Response("This endpoint speaks WebSocket only.", {
      status: 426,
      headers: { Upgrade: "websocket" },
    });
  }
  const gated = await gateRoomSocket(roomRequest(request, url), env, path.roomId);
  // A refusal is a socket too (closed with its code): the browser keeps it only if it names our subprotocol.
  if (gated instanceof Response) return withSelectedSubprotocol(request, gated);
  // Straight to the room's object: it knows its name from its id, so partyserver's router (which
  // copies the request twice more and parses its URL again) has nothing to add on this path.
  const response = await env.Room.getByName(path.roomId).fetch(gated);
  return withSelectedSubprotocol(request, response);
}
