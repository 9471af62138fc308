/**
 * Configuration every test server runs with (workerd tests through
 * worker/vitest.config.ts, `wrangler dev` through start-server.ts), so one
 * token signer fits them all.
 */
/** The app's own origin in tests (`PUBLIC_ORIGINS`): requests go to http://edgeroom.test. */
export const TEST_PUBLIC_ORIGIN = "http://edgeroom.test";
export const TEST_EMBEDDER = "http://embedder.test:8080";
export const TEST_TOKEN_SECRET = "test-secret-that-is-at-least-32-characters-long";
/** The HTTP API's bearer secret (`EDGEROOM_API_SECRET`) in every test server. */
export const TEST_API_SECRET = "test-api-secret-that-is-long-enough-to-guess-never";
/** The Pusher app every test server runs (`PUSHER_APP_ID`, `PUSHER_APP_KEY`, `PUSHER_APP_SECRET`; docs/pusher.md). */
export const TEST_PUSHER_APP = {
  appId: "1000001",
  key: "edgeroom-test-key",
  secret: "edgeroom-test-pusher-secret-long-enough",
} as const;
