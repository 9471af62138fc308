import { isHttpUrl, type EmbedConfig } from "@edgeroom/shared";
import { frameAncestors, parseAllowedOrigins } from "./allowed-origins.ts";

/**
 * Every response (pages, assets, the embed config, refusals, errors) says
 * who may frame it. The Worker adds this rather than an `_headers` file
 * because the list comes from `EMBED_ALLOWED_ORIGINS`, which a static file
 * cannot read. An accepted socket upgrade (101) is left as it is: it is
 * never framed, and its response cannot be rebuilt.
 */
export function withFrameAncestors(response: Response, env: Env): Response {
  if (response.webSocket) return response;
  // A response with its own, stricter policy (the inspector's) already says who may frame it.
  if (response.headers.get("Content-Security-Policy")?.includes("frame-ancestors")) return response;
  const framed = new Response(response.body, response);
  framed.headers.set(
    "Content-Security-Policy",
    frameAncestors(parseAllowedOrigins(env.EMBED_ALLOWED_ORIGINS)),
  );
  return framed;
}

/**
 * The embed reads this to know which parent origins it may talk to; the room page, where to ask
 * for a room token (a malformed `ROOM_TOKEN_ENDPOINT` is left out, so rooms stay reachable without one).
 */
export function embedConfigResponse(env: Env): Response {
  const config: EmbedConfig = { allowedOrigins: parseAllowedOrigins(env.EMBED_ALLOWED_ORIGINS) };
  const endpoint = env.ROOM_TOKEN_ENDPOINT?.trim();
  if (endpoint && isHttpUrl(endpoint)) config.roomTokenEndpoint = endpoint;
  else if (endpoint) console.warn("Edgeroom: ROOM_TOKEN_ENDPOINT is not an http(s) URL; ignored.");
  return Response.json(config, { headers: { "Cache-Control": "no-store" } });
}
