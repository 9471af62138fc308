/**
 * The Worker: `/parties/room/<roomId>` goes to that room's Durable Object
 * (one object per room, addressed by name) once the Origin and any room token
 * pass; everything else is the web app,
 * served from static assets with a single-page fallback.
 */
import { isValidRoomId } from "@edgeroom/shared";
import { routePartykitRequest } from "partyserver";
import { gateRoomSocket } from "./access/connect-gate.ts";
import { embedConfigResponse, withFrameAncestors } from "./access/page-headers.ts";
import { withSelectedSubprotocol } from "./access/subprotocol.ts";
import { benchProbe } from "./room/bench-probe.ts";

export { Room } from "./room/room-server.ts";

export default {
  async fetch(request, env): Promise<Response> {
    const probe = benchProbe(request, env);
    if (probe) return probe;
    const url = new URL(request.url);
    if (url.pathname.startsWith("/parties/")) {
      const response = await routePartykitRequest(request, env, {
        onBeforeConnect: (req, lobby) =>
          isValidRoomId(lobby.name)
            ? gateRoomSocket(req, env, lobby.name)
            : new Response("Invalid room name", { status: 400 }),
      });
      return response
        ? withSelectedSubprotocol(request, response)
        : new Response("Not found", { status: 404 });
    }
    if (url.pathname === "/embed-config.json") return embedConfigResponse(env);
    return withFrameAncestors(await env.ASSETS.fetch(request), env);
  },
} satisfies ExportedHandler<Env>;
