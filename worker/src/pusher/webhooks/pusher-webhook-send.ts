/**
 * One webhook request as Pusher sends it: the body `{ time_ms, events }`,
 * `Content-Type: application/json` exactly (the SDKs' `webhook().isValid()`
 * refuses anything else, even with a charset), `X-Pusher-Key` and
 * `X-Pusher-Signature`, the hex HMAC-SHA256 of the raw body under the app's
 * secret. Success is a 2xx and nothing else. Never throws.
 */
import { LIMITS } from "@edgeroom/shared";
import { hmacSha256Hex } from "../signing/hmac.ts";
import {
  WEBHOOK_CONTENT_TYPE,
  WEBHOOK_KEY_HEADER,
  WEBHOOK_SIGNATURE_HEADER,
} from "./pusher-webhook-format.ts";

export interface WebhookRequest {
  url: string;
  key: string;
  secret: string;
  body: string;
}

export type SendResult = { ok: true } | { ok: false; reason: string };
export type SendWebhook = (request: WebhookRequest) => Promise<SendResult>;

export async function signedWebhookHeaders(
  key: string,
  secret: string,
  body: string,
): Promise<Record<string, string>> {
  return {
    "Content-Type": WEBHOOK_CONTENT_TYPE,
    [WEBHOOK_KEY_HEADER]: key,
    [WEBHOOK_SIGNATURE_HEADER]: await hmacSha256Hex(secret, body),
  };
}

export const sendPusherWebhook: SendWebhook = async ({ url, key, secret, body }) => {
  try {
    const response = await fetch(url, {
      method: "POST",
      headers: await signedWebhookHeaders(key, secret, body),
      body,
      redirect: "manual",
      signal: AbortSignal.timeout(LIMITS.webhookTimeoutMs),
    });
    await response.body?.cancel().catch(() => undefined);
    if (response.status >= 200 && response.status < 300) return { ok: true };
    return { ok: false, reason: `HTTP ${response.status}` };
  } catch (error) {
    return { ok: false, reason: error instanceof Error ? `${error.name}: ${error.message}` : String(error) };
  }
};
