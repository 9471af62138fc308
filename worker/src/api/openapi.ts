/**
 * The OpenAPI 3.1 document of `/api/v1`, built from the route table and
 * the shared valibot schemas (@valibot/to-json-schema), so it cannot drift
 * from what the router serves and validates.
 */
import { ApiErrorCode, ApiErrorSchema, RoomIdSchema } from "@edgeroom/shared";
import { toJsonSchema, type ConversionConfig } from "@valibot/to-json-schema";
import { ERROR_STATUS } from "./api-response.ts";
import type { ApiRoute, LiteralJsonSchema, ResponseDoc } from "./route.ts";
import type { ApiSchema } from "./validate.ts";

export const API_PREFIX = "/api/v1";

// What a caller sends (before any transform), and refinements JSON Schema cannot say (a `check`) left out.
const CONVERSION: ConversionConfig = { target: "draft-2020-12", typeMode: "input", errorMode: "ignore" };

type JsonSchema = Record<string, unknown>;

function jsonSchema(schema: ApiSchema): JsonSchema {
  const converted = {
    ...(toJsonSchema(schema as Parameters<typeof toJsonSchema>[0], CONVERSION) as JsonSchema),
  };
  delete converted["$schema"];
  return converted;
}

function jsonContent(schema: JsonSchema): { "application/json": { schema: JsonSchema } } {
  return { "application/json": { schema } };
}

const ERROR_REF = { $ref: "#/components/schemas/ApiError" };

/** The error codes a route can answer with, by status. */
function errorCodes(route: ApiRoute): Map<number, ApiErrorCode[]> {
  const codes: ApiErrorCode[] = [];
  if (!route.public) codes.push(ApiErrorCode.apiDisabled, ApiErrorCode.unauthorized);
  if (route.path.includes("{room}") || route.query || route.body) codes.push(ApiErrorCode.badRequest);
  if (route.body) codes.push(ApiErrorCode.payloadTooLarge, ApiErrorCode.unsupportedMediaType);
  codes.push(...(route.errors ?? []), ApiErrorCode.internal);
  const byStatus = new Map<number, ApiErrorCode[]>();
  for (const code of codes)
    byStatus.set(ERROR_STATUS[code], [...(byStatus.get(ERROR_STATUS[code]) ?? []), code]);
  return byStatus;
}

function responses(route: ApiRoute): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [status, doc] of Object.entries(route.responses) as [string, ResponseDoc][]) {
    const content: Record<string, { schema: JsonSchema | LiteralJsonSchema }> = {};
    if (doc.json) content["application/json"] = { schema: jsonSchema(doc.json) };
    for (const [media, schema] of Object.entries(doc.media ?? {})) content[media] = { schema };
    out[status] = { description: doc.description, content };
  }
  for (const [status, codes] of errorCodes(route)) {
    out[String(status)] = { description: `Error: ${codes.join(", ")}.`, content: jsonContent(ERROR_REF) };
  }
  return out;
}

function parameters(route: ApiRoute): unknown[] {
  const list: unknown[] = [];
  if (route.path.includes("{room}")) {
    list.push({ name: "room", in: "path", required: true, schema: jsonSchema(RoomIdSchema) });
  }
  if (route.query) {
    const query = jsonSchema(route.query);
    const required = new Set((query["required"] as string[] | undefined) ?? []);
    for (const [name, schema] of Object.entries((query["properties"] as Record<string, JsonSchema>) ?? {})) {
      list.push({ name, in: "query", required: required.has(name), schema });
    }
  }
  return list;
}

function requestBody(route: ApiRoute): unknown {
  if (!route.body) return undefined;
  const content: Record<string, unknown> = {};
  if (route.body.json) content["application/json"] = { schema: jsonSchema(route.body.json) };
  if (route.body.binary) {
    content["application/octet-stream"] = {
      schema: {
        type: "string",
        contentMediaType: "application/octet-stream",
        description: route.body.binary,
      },
    };
  }
  return { required: true, content };
}

function operation(route: ApiRoute): Record<string, unknown> {
  const op: Record<string, unknown> = {
    operationId: route.operationId,
    summary: route.summary,
    parameters: parameters(route),
    responses: responses(route),
  };
  if (route.description) op["description"] = route.description;
  const body = requestBody(route);
  if (body) op["requestBody"] = body;
  if (route.public) op["security"] = [];
  return op;
}

export function buildOpenApi(routes: readonly ApiRoute[]): Record<string, unknown> {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const route of routes) {
    const item = (paths[API_PREFIX + route.path] ??= {});
    item[route.method.toLowerCase()] = operation(route);
  }
  return {
    openapi: "3.1.0",
    info: {
      title: "Edgeroom API",
      version: "1",
      description:
        "Read, write, watch and control Edgeroom rooms from a backend. Every call but this document needs `Authorization: Bearer <EDGEROOM_API_SECRET>`. See docs/api.md.",
    },
    paths,
    components: {
      schemas: { ApiError: jsonSchema(ApiErrorSchema) },
      securitySchemes: { bearer: { type: "http", scheme: "bearer", description: "EDGEROOM_API_SECRET" } },
    },
    security: [{ bearer: [] }],
  };
}
