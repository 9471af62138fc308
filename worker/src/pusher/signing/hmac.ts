/**
 * The digests Pusher's protocol signs with: HMAC-SHA256 in lowercase hex
 * (channel and user auth, HTTP API requests, webhooks) and MD5 in hex (the
 * HTTP API's `body_md5`), on the Web Crypto the Worker has.
 */
const encoder = new TextEncoder();

export async function hmacSha256Hex(secret: string, message: string): Promise<string> {
  const key = await crypto.subtle.importKey(
    "raw",
    encoder.encode(secret),
    { name: "HMAC", hash: "SHA-256" },
    false,
    ["sign"],
  );
  return toHex(await crypto.subtle.sign("HMAC", key, encoder.encode(message)));
}

/** workerd's Web Crypto digests MD5 (a Cloudflare extension), which `body_md5` needs. */
export async function md5Hex(body: Uint8Array | string): Promise<string> {
  const bytes = typeof body === "string" ? encoder.encode(body) : body;
  return toHex(await crypto.subtle.digest("MD5", bytes));
}

/** Compares two signatures in time that does not depend on where they differ. */
export function sameSignature(expected: string, given: string): boolean {
  const a = encoder.encode(expected);
  const b = encoder.encode(given);
  if (a.byteLength !== b.byteLength) return false;
  return crypto.subtle.timingSafeEqual(a, b);
}

function toHex(buffer: ArrayBuffer): string {
  return [...new Uint8Array(buffer)].map((byte) => byte.toString(16).padStart(2, "0")).join("");
}
