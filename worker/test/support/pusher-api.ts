/**
 * Signed calls to the Pusher HTTP API through the Worker inside workerd,
 * built here as the `pusher` SDK builds them (its lib/requests.js): the
 * auth parameters, the body's MD5, the signature over the method, path and
 * sorted query. Every part can be bent, so tests can send each refusal.
 */
import { TEST_PUSHER_APP } from "@edgeroom/testkit";
import { SELF } from "cloudflare:test";
import { env } from "cloudflare:workers";
import worker from "../../src/index.ts";

export const PUSHER_ORIGIN = "http://edgeroom.test";
export const APP_PATH = `/apps/${TEST_PUSHER_APP.appId}`;

export interface PusherCall {
  method?: "GET" | "POST" | "PUT" | "DELETE";
  /** Under the app, e.g. `/events`; or a whole path when it starts with `/apps/`. */
  path: string;
  params?: Record<string, string>;
  /** A value sent as JSON, or text sent as it is. */
  json?: unknown;
  text?: string;
  key?: string;
  secret?: string;
  /** Seconds; now by default. */
  timestamp?: number;
  authVersion?: string;
  /** Replaces the body's MD5; `null` leaves it out. */
  bodyMd5?: string | null;
  /** After signing: a body or query that differs from what was signed. */
  tamper?: { text?: string; params?: Record<string, string> };
}

export async function signedRequest(call: PusherCall): Promise<Request> {
  const method = call.method ?? (call.json === undefined && call.text === undefined ? "GET" : "POST");
  const path = call.path.startsWith("/apps/") ? call.path : `${APP_PATH}${call.path}`;
  const body = call.text ?? (call.json === undefined ? undefined : JSON.stringify(call.json));
  const params: Record<string, string> = {
    auth_key: call.key ?? TEST_PUSHER_APP.key,
    auth_timestamp: String(call.timestamp ?? Math.floor(Date.now() / 1000)),
    auth_version: call.authVersion ?? "1.0",
    ...call.params,
  };
  if (body !== undefined && call.bodyMd5 !== null) params["body_md5"] = call.bodyMd5 ?? (await md5(body));
  const query = Object.keys(params)
    .sort()
    .map((name) => `${name}=${params[name]}`)
    .join("&");
  const signature = await hmac(call.secret ?? TEST_PUSHER_APP.secret, `${method}\n${path}\n${query}`);
  const search = new URLSearchParams({ ...params, ...call.tamper?.params, auth_signature: signature });
  const sent = call.tamper?.text ?? body;
  return new Request(`${PUSHER_ORIGIN}${path}?${search.toString()}`, {
    method,
    ...(sent === undefined ? {} : { body: sent, headers: { "Content-Type": "application/json" } }),
  });
}

export async function pusherApi(call: PusherCall): Promise<Response> {
  return SELF.fetch(await signedRequest(call));
}

/** The Worker's own fetch with other bindings (e.g. Pusher off), which `SELF` cannot change. */
export async function pusherApiWithEnv(
  overrides: { [K in keyof Env]?: Env[K] | undefined },
  call: PusherCall,
): Promise<Response> {
  const request = (await signedRequest(call)) as Request<unknown, IncomingRequestCfProperties>;
  return worker.fetch(request, { ...env, ...overrides } as Env);
}

const encoder = new TextEncoder();

async function hmac(secret: string, text: string): Promise<string> {
  const key = await crypto.subtle.importKey(
    "raw",
    encoder.encode(secret),
    { name: "HMAC", hash: "SHA-256" },
    false,
    ["sign"],
  );
  return hex(await crypto.subtle.sign("HMAC", key, encoder.encode(text)));
}

async function md5(text: string): Promise<string> {
  return hex(await crypto.subtle.digest("MD5", encoder.encode(text)));
}

function hex(buffer: ArrayBuffer): string {
  return [...new Uint8Array(buffer)].map((byte) => byte.toString(16).padStart(2, "0")).join("");
}
