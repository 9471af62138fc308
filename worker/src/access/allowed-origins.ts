/**
 * The embedder allowlist: which origins may frame Edgeroom pages and open
 * room sockets besides Edgeroom's own. It comes from configuration, so each
 * entry is checked to be a bare origin (scheme, host, port) and anything
 * else is dropped loudly rather than widening the policy by accident.
 */
export function parseAllowedOrigins(raw: string | undefined): string[] {
  const origins: string[] = [];
  for (const entry of (raw ?? "").split(/[\s,]+/).filter(Boolean)) {
    if (isBareOrigin(entry)) origins.push(entry);
    else
      console.warn(
        `EMBED_ALLOWED_ORIGINS: ignored "${entry}", which is not an origin like https://example.com`,
      );
  }
  return origins;
}

function isBareOrigin(entry: string): boolean {
  try {
    const url = new URL(entry);
    return (url.protocol === "https:" || url.protocol === "http:") && url.origin === entry;
  } catch {
    return false;
  }
}

/** The `frame-ancestors` directive: only Edgeroom itself when nobody else is configured. */
export function frameAncestors(allowed: readonly string[]): string {
  return ["frame-ancestors 'self'", ...allowed].join(" ");
}

/**
 * A browser always sends `Origin` on a WebSocket upgrade, so a foreign one
 * means a page elsewhere is trying to use the visitor's browser (cross-site
 * WebSocket hijacking). Clients outside browsers send none and cannot carry
 * a visitor's ambient credentials, so they are let through.
 */
export function isAllowedSocketOrigin(request: Request, allowed: readonly string[]): boolean {
  const origin = request.headers.get("Origin");
  if (origin === null) return true;
  return origin === new URL(request.url).origin || allowed.includes(origin);
}
