/**
 * The Worker: `/parties/room/<roomId>` goes to that room's Durable Object
 * (one object per room, addressed by name); everything else is the web app,
 * served from static assets with a single-page fallback.
 */
import { isValidRoomId } from "@edgeroom/shared";
import { routePartykitRequest } from "partyserver";
import { benchProbe } from "./room/bench-probe.ts";

export { Room } from "./room/room-server.ts";

export default {
  async fetch(request, env): Promise<Response> {
    const probe = benchProbe(request, env);
    if (probe) return probe;
    const url = new URL(request.url);
    if (url.pathname.startsWith("/parties/")) {
      const response = await routePartykitRequest(request, env, {
        onBeforeConnect: (_req, lobby) =>
          isValidRoomId(lobby.name) ? undefined : new Response("Invalid room name", { status: 400 }),
      });
      return response ?? new Response("Not found", { status: 404 });
    }
    return env.ASSETS.fetch(request);
  },
} satisfies ExportedHandler<Env>;
