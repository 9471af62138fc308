/**
 * The HTTP API's front door (`/api/…`). In this order, and before any
 * Durable Object is addressed (addressing one creates it): the bearer
 * secret (except for the public OpenAPI document), the path and method,
 * the room name, the query, the body. Only a request that passed all of
 * them reaches a room.
 */
import { ApiErrorCode, RoomIdSchema } from "@edgeroom/shared";
import { getServerByName } from "partyserver";
import { ApiRefusal, apiError } from "./api-response.ts";
import { refuseUnauthorized } from "./auth.ts";
import { API_PREFIX } from "./openapi.ts";
import { mediaType, readBoundedBody, readJsonBody } from "./read-body.ts";
import type { RoomApi } from "./room-api.ts";
import type { ApiRoute, QuerySchema } from "./route.ts";
import { API_ROUTES } from "./routes.ts";
import { validate } from "./validate.ts";

interface RouteMatch {
  route: ApiRoute;
  /** The raw `{room}` segment, never decoded: valid room names need no escaping, so an escaped one is refused as it is. */
  roomSegment: string | undefined;
}

export async function routeApi(request: Request, env: Env, url: URL): Promise<Response> {
  try {
    return await serve(request, env, url);
  } catch (error) {
    if (error instanceof ApiRefusal) return error.toResponse();
    // The details go to the log; a caller learns only that it failed.
    console.error("Edgeroom API: request failed:", request.method, url.pathname, error);
    return apiError(ApiErrorCode.internal, "Something went wrong.");
  }
}

async function serve(request: Request, env: Env, url: URL): Promise<Response> {
  const matches = matchPath(url.pathname);
  const isPublic = matches.length > 0 && matches.every((match) => match.route.public);
  if (!isPublic) {
    const refused = await refuseUnauthorized(request, env);
    if (refused) return refused;
  }
  if (matches.length === 0) {
    throw new ApiRefusal(
      ApiErrorCode.notFound,
      `No endpoint here; the API is described at ${API_PREFIX}/openapi.json.`,
    );
  }
  const match = matches.find((candidate) => candidate.route.method === request.method);
  if (!match) {
    const allow = matches.map((candidate) => candidate.route.method).join(", ");
    const message = `${request.method} is not allowed here; use ${allow}.`;
    throw new ApiRefusal(ApiErrorCode.methodNotAllowed, message, { Allow: allow });
  }
  const { route, roomSegment } = match;
  const roomId = roomSegment === undefined ? "" : validate(RoomIdSchema, roomSegment, "room");
  const query = readQuery(url, route.query);
  const body = await readBody(request, route);
  let stub: RoomApi | undefined;
  // getServerByName runs the room's onStart (a plain stub would not); the stub speaks the RPC contract, room-api.ts.
  const room = async () => {
    if (!roomId) throw new Error(`${route.operationId} has no {room} to address`);
    return (stub ??= await getServerByName(env.Room, roomId));
  };
  return route.handle({ request, env, roomId, room, query, ...body });
}

function matchPath(pathname: string): RouteMatch[] {
  if (!pathname.startsWith(`${API_PREFIX}/`)) return [];
  const segments = pathname.slice(API_PREFIX.length).split("/");
  const matches: RouteMatch[] = [];
  for (const route of API_ROUTES) {
    const template = route.path.split("/");
    if (template.length !== segments.length) continue;
    let roomSegment: string | undefined;
    const fits = template.every((part, i) => {
      const segment = segments[i] ?? "";
      if (part !== "{room}") return part === segment;
      roomSegment = segment;
      return segment !== "";
    });
    if (fits) matches.push({ route, roomSegment });
  }
  return matches;
}

/** Only the parameters the route names, each at most once, validated by its schema. */
function readQuery(url: URL, schema: QuerySchema | undefined): unknown {
  const seen = new Map<string, string>();
  for (const [name, value] of url.searchParams) {
    if (!schema || !Object.hasOwn(schema.entries, name)) {
      throw new ApiRefusal(ApiErrorCode.badRequest, `${name.slice(0, 64)}: not a parameter of this endpoint`);
    }
    if (seen.has(name)) throw new ApiRefusal(ApiErrorCode.badRequest, `${name}: given more than once`);
    seen.set(name, value);
  }
  return schema ? validate(schema, Object.fromEntries(seen), "query") : undefined;
}

async function readBody(
  request: Request,
  route: ApiRoute,
): Promise<{ json: unknown; bytes: Uint8Array | undefined }> {
  if (!route.body) return { json: undefined, bytes: undefined };
  const type = mediaType(request);
  if (route.body.json && type === "application/json") {
    return { json: await readJsonBody(request, route.body.json), bytes: undefined };
  }
  if (route.body.binary && type === "application/octet-stream") {
    return { json: undefined, bytes: await readBoundedBody(request) };
  }
  const accepted = [route.body.json && "application/json", route.body.binary && "application/octet-stream"];
  throw new ApiRefusal(
    ApiErrorCode.unsupportedMediaType,
    `Content-Type: must be ${accepted.filter(Boolean).join(" or ")}`,
  );
}
