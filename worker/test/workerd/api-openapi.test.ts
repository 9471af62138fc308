/** The OpenAPI document: public, valid JSON, and listing exactly what the router serves. */
import { describe, expect, it } from "vitest";
import { API_ROUTES } from "../../src/api/routes.ts";
import { api } from "../support/api-client.ts";
import { exampleCalls } from "../support/api-examples.ts";

interface Operation {
  operationId: string;
  parameters: Array<{ name: string; in: string; required: boolean; schema: Record<string, unknown> }>;
  requestBody?: { content: Record<string, { schema: Record<string, unknown> }> };
  responses: Record<string, { description: string; content?: Record<string, unknown> }>;
  security?: unknown[];
}
type Document = {
  openapi: string;
  info: { title: string; version: string };
  paths: Record<string, Record<string, Operation>>;
  components: {
    schemas: Record<string, unknown>;
    securitySchemes: Record<string, { type: string; scheme: string }>;
  };
  security: unknown[];
};

async function openApi(): Promise<Document> {
  const response = await api("/api/v1/openapi.json", { secret: null });
  expect(response.status).toBe(200);
  expect(response.headers.get("Content-Type")).toMatch(/^application\/json/);
  return JSON.parse(await response.text()) as Document;
}

function operations(doc: Document): Array<{ method: string; path: string; op: Operation }> {
  return Object.entries(doc.paths).flatMap(([path, item]) =>
    Object.entries(item).map(([method, op]) => ({ method: method.toUpperCase(), path, op })),
  );
}

describe("OpenAPI document", () => {
  it("is OpenAPI 3.1 with the bearer scheme required everywhere but itself", async () => {
    const doc = await openApi();
    expect(doc.openapi).toBe("3.1.0");
    expect(doc.info.title).toBe("Edgeroom API");
    expect(doc.components.securitySchemes["bearer"]).toMatchObject({ type: "http", scheme: "bearer" });
    expect(doc.security).toEqual([{ bearer: [] }]);
    for (const { path, op } of operations(doc)) {
      if (path === "/api/v1/openapi.json") expect(op.security).toEqual([]);
      else {
        expect(op.security).toBeUndefined();
        expect(Object.keys(op.responses)).toEqual(expect.arrayContaining(["401", "500"]));
      }
    }
  });

  it("has unique operation ids and only references that resolve", async () => {
    const doc = await openApi();
    const ids = operations(doc).map(({ op }) => op.operationId);
    expect(new Set(ids).size).toBe(ids.length);
    const refs = [...JSON.stringify(doc).matchAll(/"\$ref":"#\/components\/schemas\/([^"]+)"/g)].map(
      (m) => m[1]!,
    );
    expect(refs.length).toBeGreaterThan(0);
    for (const ref of refs) expect(doc.components.schemas[ref], ref).toBeDefined();
  });

  it("lists every route the router serves, and nothing else", async () => {
    const documented = operations(await openApi()).map(({ method, path }) => `${method} ${path}`);
    const served = API_ROUTES.map((route) => `${route.method} /api/v1${route.path}`);
    expect(documented.sort()).toEqual(served.sort());
  });

  it("documents only paths the router answers (no 404 or 405 for any documented operation)", async () => {
    const calls = exampleCalls("openapi-live");
    for (const { method, path, op } of operations(await openApi())) {
      const call = calls[op.operationId];
      expect(call, op.operationId).toBeDefined();
      expect(call!.method).toBe(method);
      expect(call!.path.split("?")[0]).toBe(path.replace("{room}", "openapi-live"));
      const response = await api(call!.path, { method, ...call!.init });
      expect([404, 405], `${method} ${path}`).not.toContain(response.status);
    }
  });

  it("describes parameters, bodies and answers from the shared schemas", async () => {
    const doc = await openApi();
    for (const { path, op } of operations(doc)) {
      const pathParams = [...path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]);
      expect(op.parameters.filter((p) => p.in === "path").map((p) => p.name)).toEqual(pathParams);
    }
    const room = doc.paths["/api/v1/rooms/{room}"]!["get"]!;
    expect(room.parameters[0]).toMatchObject({
      name: "room",
      required: true,
      schema: { type: "string", maxLength: 64 },
    });
    expect(room.responses["200"]!.content).toMatchObject({
      "application/json": {
        schema: {
          required: expect.arrayContaining([
            "room",
            "private",
            "people",
            "documentBytes",
            "lastEditAt",
            "versions",
          ]),
        },
      },
    });
    const chat = doc.paths["/api/v1/rooms/{room}/chat"]!;
    expect(chat["get"]!.parameters.map((p) => [p.name, p.in, p.required])).toEqual([
      ["room", "path", true],
      ["after", "query", false],
      ["limit", "query", false],
    ]);
    expect(chat["post"]!.requestBody!.content["application/json"]!.schema).toMatchObject({
      type: "object",
      required: ["id", "author", "text"],
      properties: { author: { required: ["id", "name"] } },
    });
    expect(Object.keys(chat["post"]!.responses)).toEqual(
      expect.arrayContaining(["200", "201", "400", "413", "415"]),
    );
    const document = doc.paths["/api/v1/rooms/{room}/document"]!;
    expect(document["get"]!.parameters[1]).toMatchObject({
      name: "format",
      schema: { enum: ["text", "markdown", "yjs"] },
    });
    expect(Object.keys(document["post"]!.requestBody!.content).sort()).toEqual([
      "application/json",
      "application/octet-stream",
    ]);
    expect(Object.keys(document["post"]!.responses)).toContain("422");
    expect(doc.components.schemas["ApiError"]).toMatchObject({ required: ["error"] });
  });
});
