/**
 * Whether and where a room sends webhooks, from `WEBHOOK_URL` and
 * `WEBHOOK_SECRET`. Unset URL: webhooks are off and nothing is stored.
 * A URL with a missing or unusable secret (or a URL that is not http(s)) is
 * "misconfigured": events are still kept in the outbox, so fixing the secret
 * (a deploy restarts every room) delivers them, but nothing is sent unsigned.
 */
import { importWebhookSecret, type HmacKey } from "./sign.ts";

export type WebhookTarget =
  { kind: "off" } | { kind: "misconfigured"; problem: string } | { kind: "on"; url: string; key: HmacKey };

export interface WebhookSettings {
  url?: string | undefined;
  secret?: string | undefined;
}

export async function webhookTarget(settings: WebhookSettings): Promise<WebhookTarget> {
  const url = settings.url?.trim();
  if (!url) return { kind: "off" };
  if (!isHttpUrl(url)) return { kind: "misconfigured", problem: "WEBHOOK_URL is not an http(s) URL" };
  const key = await importWebhookSecret(settings.secret?.trim());
  if (!key.ok) return { kind: "misconfigured", problem: key.problem };
  return { kind: "on", url, key: key.key };
}

function isHttpUrl(text: string): boolean {
  try {
    const { protocol } = new URL(text);
    return protocol === "https:" || protocol === "http:";
  } catch {
    return false;
  }
}
