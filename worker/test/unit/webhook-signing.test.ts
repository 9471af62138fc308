import { Webhook, WebhookVerificationError } from "standardwebhooks";
import { describe, expect, it } from "vitest";
import { importWebhookSecret, newWebhookId, signWebhook } from "../../src/webhooks/sign.ts";
import { retryDelayMs } from "../../src/webhooks/retry-schedule.ts";
import { webhookTarget } from "../../src/webhooks/webhook-config.ts";
import { LIMITS } from "@edgeroom/shared";

const SECRET = `whsec_${Buffer.from("0123456789abcdef0123456789abcdef").toString("base64")}`;
const BODY = JSON.stringify({ type: "chat.message", room: "r1", at: 1, data: { text: "héllo" } });

async function signed(body = BODY, id = newWebhookId(), now = Date.now()) {
  const key = await importWebhookSecret(SECRET);
  if (!key.ok) throw new Error(key.problem);
  return { ...(await signWebhook(key.key, id, now / 1000, body)) };
}

describe("webhook signatures (Standard Webhooks)", () => {
  it("verify with the standardwebhooks library", async () => {
    const headers = await signed();
    expect(headers["webhook-id"]).toMatch(/^msg_[0-9a-f]{32}$/);
    expect(headers["webhook-signature"]).toMatch(/^v1,[A-Za-z0-9+/]+=*$/);
    expect(new Webhook(SECRET).verify(BODY, headers)).toEqual(JSON.parse(BODY));
  });

  it("match the library's own signature for the same id, time and body", async () => {
    const now = 1_700_000_000_000;
    const headers = await signed(BODY, "msg_fixed", now);
    expect(headers["webhook-signature"]).toBe(new Webhook(SECRET).sign("msg_fixed", new Date(now), BODY));
  });

  it("fail on a tampered body, timestamp or id, and under another secret", async () => {
    const headers = await signed();
    const wh = new Webhook(SECRET);
    expect(() => wh.verify(BODY.replace("héllo", "hello"), headers)).toThrow(WebhookVerificationError);
    const earlier = String(Number(headers["webhook-timestamp"]) - 1);
    expect(() => wh.verify(BODY, { ...headers, "webhook-timestamp": earlier })).toThrow(
      WebhookVerificationError,
    );
    expect(() => wh.verify(BODY, { ...headers, "webhook-id": newWebhookId() })).toThrow(
      WebhookVerificationError,
    );
    const other = `whsec_${Buffer.from("another key of thirty-two bytes!").toString("base64")}`;
    expect(() => new Webhook(other).verify(BODY, headers)).toThrow(WebhookVerificationError);
  });

  it("are refused by receivers when the attempt is older than their tolerance (replays)", async () => {
    const headers = await signed(BODY, newWebhookId(), Date.now() - 10 * 60_000);
    expect(() => new Webhook(SECRET).verify(BODY, headers)).toThrow(WebhookVerificationError);
  });

  it("give each event its own id", () => {
    const ids = new Set(Array.from({ length: 1000 }, () => newWebhookId()));
    expect(ids.size).toBe(1000);
  });
});

describe("webhook configuration", () => {
  it("is off without a URL, whatever the secret", async () => {
    expect(await webhookTarget({ secret: SECRET })).toEqual({ kind: "off" });
    expect(await webhookTarget({ url: " ", secret: SECRET })).toEqual({ kind: "off" });
  });

  it("is on with an http(s) URL and a whsec_ secret", async () => {
    const target = await webhookTarget({ url: "https://example.com/hooks", secret: SECRET });
    expect(target.kind).toBe("on");
  });

  it.each([
    ["no secret", "https://example.com/", undefined],
    ["a secret without whsec_", "https://example.com/", "MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY="],
    ["a secret that is not base64", "https://example.com/", "whsec_not base64!"],
    [
      "a key too short to be safe",
      "https://example.com/",
      `whsec_${Buffer.from("short").toString("base64")}`,
    ],
    ["a URL that is not http(s)", "ftp://example.com/", SECRET],
    ["a URL that does not parse", "not a url", SECRET],
  ])("is misconfigured with %s, naming the problem but never the secret", async (_, url, secret) => {
    const target = await webhookTarget({ url, secret });
    expect(target.kind).toBe("misconfigured");
    if (secret) expect(JSON.stringify(target)).not.toContain(secret.slice(6));
  });
});

describe("webhook retry schedule", () => {
  it("retries first within 10 s, doubles, and caps at webhookRetryMaxMs", () => {
    expect(retryDelayMs(1)).toBe(LIMITS.webhookRetryMinMs);
    expect(retryDelayMs(1)).toBeLessThanOrEqual(10_000);
    expect(retryDelayMs(2)).toBe(2 * LIMITS.webhookRetryMinMs);
    expect(retryDelayMs(3)).toBe(4 * LIMITS.webhookRetryMinMs);
    expect(retryDelayMs(30)).toBe(LIMITS.webhookRetryMaxMs);
    expect(retryDelayMs(10_000)).toBe(LIMITS.webhookRetryMaxMs);
  });
});
