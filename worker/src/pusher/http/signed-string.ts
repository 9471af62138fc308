/**
 * The string a Pusher HTTP API request signs (request-signing.ts), kept
 * apart from the digests so it can be checked anywhere, Node included.
 */
/** The query part of the signed string, or why the query cannot be signed (a key given twice). */
export function canonicalQuery(
  query: URLSearchParams,
): { ok: true; text: string } | { ok: false; reason: string } {
  const pairs = new Map<string, string>();
  for (const [rawKey, value] of query) {
    const key = rawKey.toLowerCase();
    if (key === "auth_signature") continue;
    // Two values for one key would let a signature mean two things.
    if (pairs.has(key)) return { ok: false, reason: `Invalid query: ${key} is given more than once.` };
    pairs.set(key, value);
  }
  const sorted = [...pairs].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return { ok: true, text: sorted.map(([key, value]) => `${key}=${value}`).join("&") };
}

export function stringToSign(method: string, path: string, canonical: string): string {
  return `${method.toUpperCase()}\n${path}\n${canonical}`;
}
