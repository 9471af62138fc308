/**
 * `/app/<key>`: where Pusher clients open their WebSocket. Everything here is
 * decided before the upgrade is accepted (method, Upgrade, Origin); what
 * Pusher refuses after a handshake (unknown key, protocol version) is
 * refused on the socket with Pusher's codes, which pusher-js understands.
 */
import { isAllowedSocketOrigin } from "../../access/allowed-origins.ts";
import { pusherSocketOrigins, readPusherConfig } from "../pusher-config.ts";
import { PusherConnection } from "./pusher-connection.ts";

const APP_PATH = /^\/app\/([^/]+)$/;

export function routePusherSocket(request: Request, env: Env, url: URL): Response {
  const app = readPusherConfig(env);
  const key = APP_PATH.exec(url.pathname)?.[1];
  if (!app || key === undefined) return new Response("Not found", { status: 404 });
  if (request.method !== "GET") {
    return new Response("Pusher sockets are opened with GET.", { status: 405, headers: { Allow: "GET" } });
  }
  if (request.headers.get("Upgrade")?.toLowerCase() !== "websocket") {
    return new Response("This endpoint speaks WebSocket only.", {
      status: 426,
      headers: { Upgrade: "websocket" },
    });
  }
  if (!isAllowedSocketOrigin(request, pusherSocketOrigins(env))) {
    return new Response("This page's origin may not open Pusher sockets here.", { status: 403 });
  }
  const pair = new WebSocketPair();
  const server = pair[1];
  server.accept();
  new PusherConnection(server, app, env).start(safeDecode(key), url.searchParams.get("protocol"));
  return new Response(null, { status: 101, webSocket: pair[0] });
}

function safeDecode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}
