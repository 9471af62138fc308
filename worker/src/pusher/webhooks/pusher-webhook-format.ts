/**
 * What a Pusher webhook request looks like on the wire: the body
 * `{ time_ms, events }` and the headers the SDKs' `webhook()` reads.
 */
/** Exactly this: the SDKs' `isValid()` refuses any other value, a charset parameter included. */
export const WEBHOOK_CONTENT_TYPE = "application/json";
export const WEBHOOK_KEY_HEADER = "X-Pusher-Key";
/** The hex HMAC-SHA256 of the raw body under the app's secret. */
export const WEBHOOK_SIGNATURE_HEADER = "X-Pusher-Signature";

/** The body of one request: stored event JSON is joined as it is, so nothing is parsed again. */
export function webhookBody(timeMs: number, events: readonly string[]): string {
  return `{"time_ms":${Math.floor(timeMs)},"events":[${events.join(",")}]}`;
}
