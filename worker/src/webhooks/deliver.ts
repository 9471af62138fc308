/**
 * One delivery attempt: POST the body with fresh Standard Webhooks headers,
 * bounded by `webhookTimeoutMs`. Success is a 2xx and nothing else (a
 * redirect is a failure, as the specification advises). Never throws.
 */
import { LIMITS } from "@edgeroom/shared";
import { signWebhook, type HmacKey } from "./sign.ts";

export interface Attempt {
  url: string;
  key: HmacKey;
  id: string;
  body: string;
  /** The attempt's time (epoch ms); signed in seconds. */
  now: number;
}

export type AttemptResult = { ok: true } | { ok: false; reason: string };

export async function attemptDelivery(attempt: Attempt): Promise<AttemptResult> {
  try {
    const headers = await signWebhook(attempt.key, attempt.id, attempt.now / 1000, attempt.body);
    return await postWebhook(attempt.url, { ...headers, "content-type": "application/json" }, attempt.body);
  } catch (error) {
    return failure(error);
  }
}

/**
 * POSTs a signed webhook body, bounded by `webhookTimeoutMs`, without
 * following redirects: a 2xx is success and nothing else. Never throws.
 * Shared by Edgeroom's webhooks and Pusher-format ones.
 */
export async function postWebhook(
  url: string,
  headers: Record<string, string>,
  body: string,
): Promise<AttemptResult> {
  try {
    const response = await fetch(url, {
      method: "POST",
      headers,
      body,
      redirect: "manual",
      signal: AbortSignal.timeout(LIMITS.webhookTimeoutMs),
    });
    // The answer's body is of no interest; reading nothing lets the connection go.
    await response.body?.cancel().catch(() => undefined);
    if (response.status >= 200 && response.status < 300) return { ok: true };
    return { ok: false, reason: `HTTP ${response.status}` };
  } catch (error) {
    return failure(error);
  }
}

function failure(error: unknown): AttemptResult {
  return { ok: false, reason: error instanceof Error ? `${error.name}: ${error.message}` : String(error) };
}
