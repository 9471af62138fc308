/**
 * The `test` every spec imports. Tests open a browser context per person
 * (`personContext`); Playwright closes only the contexts it made itself, so
 * this closes the rest when each test ends. Left open, every earlier test's
 * pages would stay connected to the shared server, heartbeating and
 * re-syncing, for the rest of the run.
 */
import { test as base } from "@playwright/test";

export const test = base.extend<{ closeOpenedContexts: void }>({
  closeOpenedContexts: [
    async ({ browser }, use) => {
      const before = new Set(browser.contexts());
      await use();
      await Promise.all(
        browser
          .contexts()
          .filter((context) => !before.has(context))
          .map((context) => context.close()),
      );
    },
    { auto: true },
  ],
});

export { expect } from "@playwright/test";
