/**
 * An origin list from configuration: the embedder allowlist
 * (`EMBED_ALLOWED_ORIGINS`: who may frame Edgeroom pages and open room
 * sockets besides Edgeroom's own) or Edgeroom's own public origins
 * (`PUBLIC_ORIGINS`). Each entry is checked to be a bare origin (scheme,
 * host, port) and anything else is dropped loudly rather than widening the
 * policy by accident.
 */
export function parseAllowedOrigins(raw: string | undefined, variable = "EMBED_ALLOWED_ORIGINS"): string[] {
  const origins: string[] = [];
  for (const entry of (raw ?? "").split(/[\s,]+/).filter(Boolean)) {
    if (isBareOrigin(entry)) origins.push(entry);
    else console.warn(`${variable}: ignored "${entry}", which is not an origin like https://example.com`);
  }
  return origins;
}

/**
 * The origins whose pages may open room sockets: Edgeroom's own public
 * origins, as configured, and the embedders. Never the request's own
 * `Host`: a DNS-rebinding page controls that, and would pass as "same origin".
 */
export function socketOrigins(env: Env): string[] {
  return [
    ...parseAllowedOrigins(env.PUBLIC_ORIGINS, "PUBLIC_ORIGINS"),
    ...parseAllowedOrigins(env.EMBED_ALLOWED_ORIGINS),
  ];
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
 * A browser always sends `Origin` on a WebSocket upgrade, so one not in
 * `allowed` (see `socketOrigins`) means a page elsewhere is trying to use
 * the visitor's browser (cross-site WebSocket hijacking, DNS rebinding).
 * Clients outside browsers send none and cannot carry a visitor's ambient
 * credentials, so they are let through.
 */
export function isAllowedSocketOrigin(request: Request, allowed: readonly string[]): boolean {
  const origin = request.headers.get("Origin");
  if (origin === null) return true;
  return allowed.includes(origin);
}
