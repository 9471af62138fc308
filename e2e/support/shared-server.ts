/** The one server most tests share, started in global setup (see playwright.config.ts). */
export const SHARED_PORT = Number(process.env["EDGEROOM_E2E_PORT"] ?? 8791);
export const SHARED_URL = `http://127.0.0.1:${SHARED_PORT}`;
/** Tests that start servers of their own use ports from here up, so parallel checkouts can pick apart. */
export const SPARE_PORT_BASE = SHARED_PORT + 1;
/** Host pages for the embed tests: one on the allowlist, one not (different origins by port). */
export const EMBED_HOST_ORIGIN = `http://localhost:${SHARED_PORT + 3}`;
export const FOREIGN_HOST_ORIGIN = `http://localhost:${SHARED_PORT + 4}`;
