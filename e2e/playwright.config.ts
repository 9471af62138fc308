import { defineConfig, devices } from "@playwright/test";
import { SHARED_URL } from "./support/shared-server.ts";

/** Debian's Chromium (Playwright cannot download its own browser here); CHROMIUM_PATH overrides. */
const executablePath = process.env["CHROMIUM_PATH"] || "/usr/bin/chromium";

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
        launchOptions: {
          executablePath,
          args: [
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
            "--disable-quic",
          ],
        },
      },
    },
  ],
});
