import { defineConfig, devices } from "@playwright/test";
import { chromiumLaunchOptions } from "./support/chromium.mjs";
import { SHARED_URL } from "./support/shared-server.ts";

export default defineConfig({
  testDir: "tests",
  timeout: 60_000,
  expect: { timeout: 10_000 },
  fullyParallel: false,
  workers: process.env["CI"] ? 1 : 2,
  retries: process.env["CI"] ? 1 : 0,
  reporter: "list",
  globalSetup: "./support/global-setup.ts",
  use: {
    baseURL: SHARED_URL,
    trace: "retain-on-failure",
  },
  projects: [
    {
      name: "chromium",
      use: {
        ...devices["Desktop Chrome"],
        launchOptions: chromiumLaunchOptions,
      },
    },
  ],
});
