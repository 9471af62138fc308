/**
 * `/__inspect/<room>` (the page) and `/__inspect/<room>.json` (its data):
 * a development view of one room. Served only when the Worker's var
 * `EDGEROOM_INSPECT` is "local" and the request named a loopback host
 * (`pnpm start` sets the var; a DNS-rebinding page names its own host), or
 * with the API secret (`Authorization: Bearer …`) for a deployed Worker.
 * Anything else is a plain 404, the same as a path that does not exist, so
 * the inspector does not reveal itself. Checked before any object is addressed.
 */
import { isValidRoomId } from "@edgeroom/shared";
import { refuseUnauthorized } from "../api/auth.ts";
import { inspectPage } from "./inspect-page.ts";
import { PRIVATE_HEADERS } from "./private-headers.ts";

export const INSPECT_PREFIX = "/__inspect/";

const LOOPBACK_HOSTS = new Set(["127.0.0.1", "localhost", "[::1]"]);

/** The inspector's answer, or undefined when the path is not the inspector's. */
export async function routeInspect(request: Request, env: Env, url: URL): Promise<Response | undefined> {
  if (!url.pathname.startsWith(INSPECT_PREFIX)) return undefined;
  if (!(await mayInspect(request, env, url))) return notFound();
  if (request.method !== "GET" && request.method !== "HEAD") return notFound();
  const segment = url.pathname.slice(INSPECT_PREFIX.length);
  const json = segment.endsWith(".json");
  const room = json ? segment.slice(0, -".json".length) : segment;
  // The raw segment, never decoded: a valid name needs no escaping (as the room routes read it).
  if (!isValidRoomId(room)) return notFound();
  if (!json) return inspectPage();
  const inspection = await env.Room.get(env.Room.idFromName(room)).inspect();
  if (!inspection) return notFound("No such room: nothing was ever stored for it.");
  return new Response(JSON.stringify(inspection), {
    headers: { ...PRIVATE_HEADERS, "Content-Type": "application/json; charset=utf-8" },
  });
}

async function mayInspect(request: Request, env: Env, url: URL): Promise<boolean> {
  if (env.EDGEROOM_INSPECT === "local" && LOOPBACK_HOSTS.has(url.hostname)) return true;
  // Only a request that tried a secret is checked against it: the API's own answers would name the API.
  if (!request.headers.has("Authorization")) return false;
  return (await refuseUnauthorized(request, env)) === undefined;
}

function notFound(text = "Not found"): Response {
  return new Response(text, { status: 404, headers: PRIVATE_HEADERS });
}
