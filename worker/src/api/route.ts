/**
 * One endpoint of the API, as the router serves it and the OpenAPI
 * document describes it: both read the same declaration (routes.ts), so
 * what is documented is what is served.
 */
import type { ApiErrorCode } from "@edgeroom/shared";
import type { RoomApi } from "./room-api.ts";
import type { ApiSchema, SchemaOutput } from "./validate.ts";

export type HttpMethod = "GET" | "POST" | "DELETE";

/** A JSON Schema written by hand, for bodies no valibot schema describes (text, bytes). */
export type LiteralJsonSchema = Record<string, unknown>;

export interface ResponseDoc {
  description: string;
  /** A JSON body this schema describes. */
  json?: ApiSchema;
  /** Other bodies by media type. */
  media?: Record<string, LiteralJsonSchema>;
}

export interface RouteCall<Query, Json> {
  request: Request;
  env: Env;
  /** The `{room}` path segment, already validated; "" on routes without one. */
  roomId: string;
  /** The room's Durable Object, addressed only once everything about the request has passed. */
  room: () => Promise<RoomApi>;
  query: Query;
  /** The JSON body, validated by `body.json`, when the request sent JSON. */
  json: Json | undefined;
  /** The raw body, when the request sent `application/octet-stream` and the route takes it. */
  bytes: Uint8Array | undefined;
}

/** A valibot object schema of query parameters; its `entries` name the parameters a route takes. */
export type QuerySchema = ApiSchema & { readonly entries: Record<string, unknown> };

export interface RouteSpec<Q extends QuerySchema | undefined, J extends ApiSchema | undefined> {
  method: HttpMethod;
  /** Under `/api/v1`, OpenAPI style: `/rooms/{room}/chat`. `{room}` is the only parameter. */
  path: string;
  /** Served without the bearer secret. */
  public?: boolean;
  operationId: string;
  summary: string;
  description?: string;
  /** An object schema of string-valued parameters; a route without one refuses any query. */
  query?: Q;
  body?: { json?: J; binary?: string };
  responses: Record<number, ResponseDoc>;
  /** Error codes this route answers with besides the ones every route of its kind does (auth, validation). */
  errors?: ApiErrorCode[];
  handle: (
    call: RouteCall<
      Q extends QuerySchema ? SchemaOutput<Q> : undefined,
      J extends ApiSchema ? SchemaOutput<J> : undefined
    >,
  ) => Promise<Response>;
}

export type ApiRoute = RouteSpec<QuerySchema | undefined, ApiSchema | undefined>;

/** Keeps each route's query and body types for its handler; the table holds them all as `ApiRoute`. */
export function defineRoute<
  Q extends QuerySchema | undefined = undefined,
  J extends ApiSchema | undefined = undefined,
>(spec: RouteSpec<Q, J>): ApiRoute {
  return spec as unknown as ApiRoute;
}
