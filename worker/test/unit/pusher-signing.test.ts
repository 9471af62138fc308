/**
 * The Pusher HTTP API's request signing and the webhook signature, against
 * the `pusher` SDK itself (the one the e2e tests drive, loaded from e2e's
 * dependencies) and against the worked example in Pusher's REST API
 * documentation, with node:crypto's digests. (The Worker's own digests,
 * Web Crypto with workerd's MD5, are checked in workerd:
 * test/workerd/pusher-api.test.ts and pusher-webhook.test.ts.)
 */
import { createHash, createHmac } from "node:crypto";
import { createRequire } from "node:module";
import { describe, expect, it } from "vitest";
import { canonicalQuery, stringToSign } from "../../src/pusher/http/signed-string.ts";
import {
  WEBHOOK_CONTENT_TYPE,
  WEBHOOK_KEY_HEADER,
  WEBHOOK_SIGNATURE_HEADER,
  webhookBody,
} from "../../src/pusher/webhooks/pusher-webhook-format.ts";

/** The parts of the SDK used here (it ships CommonJS with its own types, loaded by path from e2e). */
interface PusherSdk {
  createSignedQueryString(options: {
    method: string;
    path: string;
    params?: Record<string, string>;
    body?: string;
  }): string;
  webhook(request: { headers: Record<string, string>; rawBody: string }): {
    isValid(): boolean;
    getEvents(): unknown[];
  };
}
const Pusher = createRequire(import.meta.url)("../../../e2e/node_modules/pusher") as new (options: {
  appId: string;
  key: string;
  secret: string;
}) => PusherSdk;

const hmac = (secret: string, text: string) => createHmac("sha256", secret).update(text).digest("hex");

const APP = { appId: "1000001", key: "edgeroom-test-key", secret: "edgeroom-test-pusher-secret-long-enough" };
const sdk = new Pusher(APP);

/** What the server computes from a query the SDK signed: the string to sign and its HMAC. */
function serverSignature(method: string, path: string, query: URLSearchParams, secret = APP.secret) {
  const canonical = canonicalQuery(query);
  if (!canonical.ok) throw new Error(canonical.reason);
  const signed = stringToSign(method, path, canonical.text);
  return { signed, signature: hmac(secret, signed) };
}

describe("Pusher HTTP API request signing", () => {
  it("reproduces the worked example of Pusher's REST API documentation", () => {
    const secret = "7ad3773142a6692b25b8";
    const body = JSON.stringify({ name: "foo", channels: ["project-3"], data: '{"some":"data"}' });
    const md5 = createHash("md5").update(body).digest("hex");
    expect(md5).toBe("ec365a775a4cd0599faeb73354201b6f");
    const query = new URLSearchParams({
      auth_key: "278d425bdf160c739803",
      auth_timestamp: "1353088179",
      auth_version: "1.0",
      body_md5: md5,
      auth_signature: "ignored-by-the-canonical-query",
    });
    const { signed, signature } = serverSignature("POST", "/apps/3/events", query, secret);
    expect(signed).toBe(
      "POST\n/apps/3/events\nauth_key=278d425bdf160c739803&auth_timestamp=1353088179&auth_version=1.0" +
        "&body_md5=ec365a775a4cd0599faeb73354201b6f",
    );
    expect(signature).toBe("da454824c97ba181a32ccc17a72625ba02771f50b50e1e7430e47a1f3f457e6c");
  });

  it.each([
    {
      method: "POST",
      path: "/apps/1000001/events",
      body: JSON.stringify({ name: "e", channels: ["a"], data: "é" }),
    },
    { method: "POST", path: "/apps/1000001/users/ada/terminate_connections", body: "{}" },
    {
      method: "GET",
      path: "/apps/1000001/channels",
      params: { filter_by_prefix: "presence-", info: "user_count" },
    },
    {
      method: "GET",
      path: "/apps/1000001/channels/presence-x",
      params: { info: "subscription_count,user_count" },
    },
    { method: "GET", path: "/apps/1000001/channels/presence-x/users" },
  ])("matches the SDK's signature for $method $path", ({ method, path, body, params }) => {
    const query = new URLSearchParams(
      sdk.createSignedQueryString({
        method,
        path,
        ...(params ? { params } : {}),
        ...(body ? { body } : {}),
      }),
    );
    const { signature } = serverSignature(method, path, query);
    expect(query.get("auth_signature")).toBe(signature);
    expect(query.get("auth_version")).toBe("1.0");
    if (body) expect(query.get("body_md5")).toBe(createHash("md5").update(body, "utf8").digest("hex"));
    else expect(query.has("body_md5")).toBe(false);
  });

  it("signs keys lower-cased and sorted, leaving out auth_signature, with values as they read decoded", () => {
    const query = new URLSearchParams("b=2&A=1&auth_signature=x&info=subscription_count%2Cuser_count");
    expect(canonicalQuery(query)).toEqual({ ok: true, text: "a=1&b=2&info=subscription_count,user_count" });
  });

  it("refuses a query that gives a key twice (in any case), which could be read two ways", () => {
    expect(canonicalQuery(new URLSearchParams("info=a&info=b")).ok).toBe(false);
    expect(canonicalQuery(new URLSearchParams("info=a&INFO=a")).ok).toBe(false);
  });

  it("an HMAC differs under another secret, method or path", () => {
    const query = new URLSearchParams(
      sdk.createSignedQueryString({ method: "GET", path: "/apps/1000001/channels" }),
    );
    const given = query.get("auth_signature");
    expect(serverSignature("GET", "/apps/1000001/channels", query, "other-secret").signature).not.toBe(given);
    expect(serverSignature("POST", "/apps/1000001/channels", query).signature).not.toBe(given);
    expect(serverSignature("GET", "/apps/1000002/channels", query).signature).not.toBe(given);
  });
});

describe("Pusher webhook signatures", () => {
  const events = [
    JSON.stringify({ name: "channel_occupied", channel: "presence-é" }),
    JSON.stringify({
      name: "client_event",
      channel: "private-a",
      event: "client-x",
      data: '{"n":1}',
      socket_id: "1.2",
    }),
  ];
  const body = webhookBody(1_700_000_000_123, events);

  /** The headers the Worker sends (pusher-webhook-send.ts), with node:crypto's HMAC. */
  function signed(key: string = APP.key, secret: string = APP.secret): Record<string, string> {
    return {
      "Content-Type": WEBHOOK_CONTENT_TYPE,
      [WEBHOOK_KEY_HEADER]: key,
      [WEBHOOK_SIGNATURE_HEADER]: hmac(secret, body),
    };
  }

  function received(headers: Record<string, string>, rawBody = body) {
    const lowered = Object.fromEntries(
      Object.entries(headers).map(([name, value]) => [name.toLowerCase(), value]),
    );
    return sdk.webhook({ headers: lowered, rawBody });
  }

  it("pass the SDK's webhook().isValid(), with the body Pusher sends", () => {
    const webhook = received(signed());
    expect(webhook.isValid()).toBe(true);
    expect(JSON.parse(body)).toEqual({
      time_ms: 1_700_000_000_123,
      events: events.map((e) => JSON.parse(e)),
    });
    expect(webhook.getEvents()).toHaveLength(2);
  });

  it("fail it when the body, key or secret differ", () => {
    const headers = signed();
    expect(received(headers, body.replace("presence-é", "presence-e")).isValid()).toBe(false);
    expect(received(signed("other-key")).isValid()).toBe(false);
    expect(received(signed(APP.key, "other-secret")).isValid()).toBe(false);
    // The SDK takes application/json exactly; a charset parameter fails it, which is why none is sent.
    expect(received({ ...headers, "Content-Type": "application/json; charset=utf-8" }).isValid()).toBe(false);
  });
});
