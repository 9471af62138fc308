/**
 * One webhook request as Pusher sends it: the body `{ time_ms, events }`,
 * `Content-Type: application/json` exactly (the SDKs' `webhook().isValid()`
 * refuses anything else, even with a charset), `X-Pusher-Key` and
 * `X-Pusher-Signature`, the hex HMAC-SHA256 of the raw body under the app's
 * secret. Success is a 2xx and nothing else. Never throws.
 */
import { postWebhook } from "../../webhooks/deliver.ts";
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

export const sendPusherWebhook: SendWebhook = ({ url, key, secret, body }) =>
  signedWebhookHeaders(key, secret, body).then(
    (headers) => postWebhook(url, headers, body),
    (error: unknown) => ({ ok: false, reason: `signing failed: ${String(error)}` }),
  );
