/**
 * Signing per the Standard Webhooks specification (symmetric, `v1`): the
 * signature is HMAC-SHA256 over `<webhook-id>.<webhook-timestamp>.<body>`
 * with the key that `whsec_<base64>` carries, sent base64 as `v1,<sig>`.
 * WebCrypto (`crypto.subtle`) rather than a library: it is built into
 * workerd and Node, and the scheme is a few lines.
 */

const SECRET_PREFIX = "whsec_";
/** The specification asks for 24 to 64 random bytes; a shorter key is refused rather than used. */
const MIN_KEY_BYTES = 24;
const MAX_KEY_BYTES = 64;

/** An imported HMAC key (named by what importKey returns, so the Node-typed tests compile this file too). */
export type HmacKey = Awaited<ReturnType<typeof crypto.subtle.importKey>>;

/** A parsed `WEBHOOK_SECRET`: the HMAC key, or why the secret cannot be used. */
export type WebhookKey = { ok: true; key: HmacKey } | { ok: false; problem: string };

/** Reads `whsec_<base64>` into an HMAC-SHA256 key; anything else is refused with a reason (never the secret). */
export async function importWebhookSecret(secret: string | undefined): Promise<WebhookKey> {
  if (!secret) return { ok: false, problem: "WEBHOOK_SECRET is not set" };
  if (!secret.startsWith(SECRET_PREFIX))
    return { ok: false, problem: "WEBHOOK_SECRET does not start with whsec_" };
  const bytes = decodeBase64(secret.slice(SECRET_PREFIX.length));
  if (!bytes) return { ok: false, problem: "WEBHOOK_SECRET is not whsec_ followed by base64" };
  if (bytes.byteLength < MIN_KEY_BYTES || bytes.byteLength > MAX_KEY_BYTES) {
    return { ok: false, problem: `WEBHOOK_SECRET must carry ${MIN_KEY_BYTES} to ${MAX_KEY_BYTES} bytes` };
  }
  const key = await crypto.subtle.importKey("raw", bytes, { name: "HMAC", hash: "SHA-256" }, false, ["sign"]);
  return { ok: true, key };
}

/** The three signed headers of one attempt; `timestamp` is the attempt's time (seconds), not the event's. */
export interface SignedHeaders {
  "webhook-id": string;
  "webhook-timestamp": string;
  "webhook-signature": string;
}

export async function signWebhook(
  key: HmacKey,
  id: string,
  timestampSeconds: number,
  body: string,
): Promise<SignedHeaders> {
  const timestamp = String(Math.floor(timestampSeconds));
  const content = new TextEncoder().encode(`${id}.${timestamp}.${body}`);
  const mac = new Uint8Array(await crypto.subtle.sign("HMAC", key, content));
  return { "webhook-id": id, "webhook-timestamp": timestamp, "webhook-signature": `v1,${encodeBase64(mac)}` };
}

/** A fresh event id: `msg_` and 128 random bits in hex (no `.`, which the signed content uses as a delimiter). */
export function newWebhookId(): string {
  return `msg_${crypto.randomUUID().replaceAll("-", "")}`;
}

function decodeBase64(text: string): Uint8Array | undefined {
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(text) || text.length % 4 !== 0) return undefined;
  const binary = atob(text);
  return Uint8Array.from(binary, (c) => c.charCodeAt(0));
}

function encodeBase64(bytes: Uint8Array): string {
  let binary = "";
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary);
}
