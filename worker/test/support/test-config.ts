/** Configuration the workerd tests run with (see vitest.config.ts); tests sign tokens with the same secret. */
/** The app's own origin in tests (`PUBLIC_ORIGINS`): requests go to http://edgeroom.test. */
export const TEST_PUBLIC_ORIGIN = "http://edgeroom.test";
export const TEST_EMBEDDER = "http://embedder.test:8080";
export const TEST_TOKEN_SECRET = "test-secret-that-is-at-least-32-characters-long";
