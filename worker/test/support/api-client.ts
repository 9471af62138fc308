/** Calls the HTTP API through the Worker inside workerd, as a host's backend would. */
import { ApiErrorSchema, type ApiError } from "@edgeroom/shared";
import { TEST_API_SECRET } from "@edgeroom/testkit";
import { SELF, listDurableObjectIds } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { expect } from "vitest";
import { validate } from "../../src/api/validate.ts";
import worker from "../../src/index.ts";

export const API_ORIGIN = "http://edgeroom.test";

export interface ApiInit extends Omit<RequestInit, "body"> {
  /** The bearer secret to send; `null` sends no Authorization header. */
  secret?: string | null;
  /** A JSON value (sent as application/json unless `headers` says otherwise) or raw bytes/text as they are. */
  json?: unknown;
  body?: BodyInit;
}

export function apiRequest(path: string, init: ApiInit = {}): Request {
  const { secret = TEST_API_SECRET, json, body, ...rest } = init;
  const headers = new Headers(rest.headers);
  if (secret !== null && !headers.has("Authorization")) headers.set("Authorization", `Bearer ${secret}`);
  let payload = body;
  if (json !== undefined) {
    payload = JSON.stringify(json);
    if (!headers.has("Content-Type")) headers.set("Content-Type", "application/json");
  }
  return new Request(`${API_ORIGIN}${path}`, { ...rest, headers, body: payload ?? null });
}

export function api(path: string, init: ApiInit = {}): Promise<Response> {
  return SELF.fetch(apiRequest(path, init));
}

/** The Worker's own fetch with other bindings (e.g. no API secret), which `SELF` cannot change. */
export function apiWithEnv(
  overrides: { [K in keyof Env]?: Env[K] | undefined },
  path: string,
  init: ApiInit = {},
): Promise<Response> {
  const request = apiRequest(path, init) as Request<unknown, IncomingRequestCfProperties>;
  return worker.fetch(request, { ...env, ...overrides } as Env);
}

/** The JSON error of a refused call, checked against the shared schema. */
export async function apiErrorOf(response: Response): Promise<ApiError["error"]> {
  expect(response.headers.get("Content-Type")).toMatch(/^application\/json/);
  return validate(ApiErrorSchema, await response.json(), "error body").error;
}

/** Ids of every room object that exists (addressing a room creates its object). */
export async function roomObjectIds(): Promise<string[]> {
  return (await listDurableObjectIds(env.Room)).map((id) => id.toString());
}

export function roomObjectExists(ids: readonly string[], room: string): boolean {
  return ids.includes(env.Room.idFromName(room).toString());
}
