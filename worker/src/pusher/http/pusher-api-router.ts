/**
 * The Pusher HTTP API's front door (`/apps/<id>/…`), in this order, before
 * any object is addressed: the Pusher app is configured and the id is its
 * own (else 404, as any unknown path); the path and method name an
 * endpoint; the body is read with a bound (413); the request's signature,
 * key, timestamp and body MD5 hold (401 with the reason); then the
 * endpoint checks its body and names (400, 413) and acts.
 */
import { PUSHER_HTTP_LIMITS } from "@edgeroom/shared/pusher";
import { ApiRefusal, ERROR_STATUS } from "../../api/api-response.ts";
import { readBoundedBody } from "../../api/read-body.ts";
import { readPusherConfig, type PusherConfig } from "../pusher-config.ts";
import { channelInfo, channelUsers, listChannels } from "./channel-routes.ts";
import { triggerBatch, triggerEvent } from "./event-routes.ts";
import { notFound, PusherRefusal } from "./refusal.ts";
import { checkSignature } from "./request-signing.ts";
import { terminateUserConnections } from "./user-routes.ts";

export const PUSHER_API_PREFIX = "/apps/";

interface Call {
  env: Env;
  config: PusherConfig;
  query: URLSearchParams;
  body: Uint8Array;
}

interface Endpoint {
  method: "GET" | "POST";
  serve: (call: Call) => Promise<Response>;
}

export async function routePusherApi(request: Request, env: Env, url: URL): Promise<Response> {
  try {
    return await serve(request, env, url);
  } catch (error) {
    if (error instanceof PusherRefusal) return error.toResponse();
    throw error;
  }
}

async function serve(request: Request, env: Env, url: URL): Promise<Response> {
  const config = readPusherConfig(env);
  // Pusher off: the whole prefix is unknown, as any path the Worker does not serve.
  if (!config) throw notFound("Not found");
  const [appId = "", ...rest] = url.pathname.slice(PUSHER_API_PREFIX.length).split("/");
  if (appId !== config.appId)
    throw notFound(`Unknown app: ${JSON.stringify(appId.slice(0, 40))} is not this server's app id.`);
  const endpoint = matchEndpoint(rest);
  if (!endpoint) throw notFound("Not found: no Pusher HTTP API endpoint at this path.");
  if (request.method !== endpoint.method) {
    throw new PusherRefusal(405, `Method not allowed: use ${endpoint.method}.`, { Allow: endpoint.method });
  }
  const body = await readBody(request);
  const signature = await checkSignature(
    { method: request.method, path: url.pathname, query: url.searchParams, body },
    config,
    Math.floor(Date.now() / 1000),
  );
  if (!signature.ok) throw new PusherRefusal(401, signature.reason);
  return endpoint.serve({ env, config, query: url.searchParams, body });
}

/** The endpoint at the path after `/apps/<id>/`; names in the path are taken as they are (valid ones need no escaping). */
function matchEndpoint(segments: string[]): Endpoint | undefined {
  const [first, second, third] = segments;
  const length = segments.length;
  if (length === 1 && first === "events") return post(({ env, body }) => triggerEvent(env, body));
  if (length === 1 && first === "batch_events") return post(({ env, body }) => triggerBatch(env, body));
  if (length === 1 && first === "channels") {
    return get(({ env, config, query }) => listChannels(env, config.appId, query));
  }
  if (length === 2 && first === "channels" && second) {
    return get(({ env, query }) => channelInfo(env, second, query));
  }
  if (length === 3 && first === "channels" && second && third === "users") {
    return get(({ env }) => channelUsers(env, second));
  }
  if (length === 3 && first === "users" && second && third === "terminate_connections") {
    return post(({ env, body }) => terminateUserConnections(env, decodeSegment(second), body));
  }
  return undefined;
}

const get = (serve: Endpoint["serve"]): Endpoint => ({ method: "GET", serve });
const post = (serve: Endpoint["serve"]): Endpoint => ({ method: "POST", serve });

/** User ids are escaped by the HTTP client when they must be; the id is the decoded one. */
function decodeSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

async function readBody(request: Request): Promise<Uint8Array> {
  try {
    return await readBoundedBody(request, PUSHER_HTTP_LIMITS.maxBodyBytes);
  } catch (error) {
    if (!(error instanceof ApiRefusal)) throw error;
    const status = ERROR_STATUS[error.code];
    const message =
      status === 413
        ? `Payload too large: a request body is at most ${PUSHER_HTTP_LIMITS.maxBodyBytes} bytes.`
        : error.message;
    throw new PusherRefusal(status, message);
  }
}
