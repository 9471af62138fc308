import { mkdirSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { cloudflareTest } from "@cloudflare/vitest-pool-workers";
import { defineConfig } from "vitest/config";
// By path, not by package name: the config loads under plain Node, which bundles a relative import but
// cannot load a linked package's TypeScript.
import {
  TEST_API_SECRET,
  TEST_EMBEDDER,
  TEST_PUSHER_APP,
  TEST_PUBLIC_ORIGIN,
  TEST_TOKEN_SECRET,
} from "../testkit/src/test-config.ts";

const root = fileURLToPath(new URL("..", import.meta.url));
// The Worker's assets binding points at the built web app; tests here do not need it built.
mkdirSync(`${root}/web/dist`, { recursive: true });

export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: "room-logic (node)",
          include: ["test/unit/**/*.test.ts"],
          environment: "node",
          testTimeout: 20_000,
        },
      },
      {
        plugins: [
          cloudflareTest({
            wrangler: { configPath: `${root}/wrangler.toml` },
            // Test-only configuration: the app's public origin, one allowed embedder, a room-token and an API secret, the soak length.
            miniflare: {
              bindings: {
                PUBLIC_ORIGINS: TEST_PUBLIC_ORIGIN,
                EMBED_ALLOWED_ORIGINS: TEST_EMBEDDER,
                ROOM_TOKEN_SECRET: TEST_TOKEN_SECRET,
                EDGEROOM_API_SECRET: TEST_API_SECRET,
                // Webhooks off unless a test turns them on: a developer's .dev.vars (written by `pnpm start`) must not reach tests.
                PUSHER_APP_ID: TEST_PUSHER_APP.appId,
                PUSHER_APP_KEY: TEST_PUSHER_APP.key,
                PUSHER_APP_SECRET: TEST_PUSHER_APP.secret,
                PUSHER_WEBHOOK_URL: "",
                WEBHOOK_URL: "",
                WEBHOOK_SECRET: "",
                SOAK_CYCLES: process.env.SOAK_CYCLES_WORKERD ?? "200",
                FUZZ_FRAMES: process.env.FUZZ_FRAMES ?? "100000",
              },
            },
          }),
        ],
        test: {
          name: "durable-object (workerd)",
          include: ["test/workerd/**/*.test.ts"],
          testTimeout: 15_000,
        },
      },
    ],
  },
});
