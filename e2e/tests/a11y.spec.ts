/**
 * axe-core on every page a person sees, in both themes: no serious or critical
 * violation of WCAG 2.x A/AA. A failure lists each rule with the elements that
 * break it, so it can be fixed without re-running anything.
 */
import AxeBuilder from "@axe-core/playwright";
import type { Browser, Page } from "@playwright/test";
import { expect, test } from "../support/test.ts";
import { apiOk, roomPath } from "../support/api.ts";
import { expectSynced, openRoom, personContext, uniqueRoom } from "../support/room.ts";
import { SHARED_URL } from "../support/shared-server.ts";

const THEMES = ["light", "dark"] as const;
type Theme = (typeof THEMES)[number];

async function expectNoSeriousViolations(page: Page, what: string): Promise<void> {
  // Let transitions (dialogs, sheets) settle so colours are measured as shown.
  await page.waitForTimeout(300);
  const results = await new AxeBuilder({ page })
    .withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"])
    .analyze();
  const serious = results.violations
    .filter((v) => v.impact === "serious" || v.impact === "critical")
    .map(
      (v) =>
        `${v.id} (${v.impact}): ${v.nodes
          .map(
            (n) =>
              `${n.target.join(" ")}${n.failureSummary ? ` — ${n.failureSummary.split("\n").slice(1).join(" ").trim()}` : ""}`,
          )
          .join("; ")}`,
    );
  // Soft: one run reports every page of the test, not just the first that fails.
  expect.soft(serious, `axe on ${what}`).toEqual([]);
}

/** A person with a name, whose pages use `theme` through the system setting (as a first visit would). */
async function themedRoom(
  browser: Browser,
  name: string,
  theme: Theme,
  room: string,
  size?: { width: number; height: number },
) {
  const context = await personContext(browser, name);
  const page = await context.newPage();
  await page.emulateMedia({ colorScheme: theme });
  if (size) await page.setViewportSize(size);
  await page.goto(`${SHARED_URL}/r/${room}`);
  await expectSynced(page);
  await expect(page.locator("html")).toHaveAttribute("data-theme", theme);
  return page;
}

async function say(page: Page, text: string): Promise<void> {
  await page.getByRole("textbox", { name: "Message" }).fill(text);
  await page.getByRole("textbox", { name: "Message" }).press("Enter");
}

for (const theme of THEMES) {
  test.describe(`${theme} theme`, () => {
    // Each axe pass takes seconds on a busy 2-core machine, and some tests run several.
    test.beforeEach(() => test.slow());

    test(`the landing page (${theme})`, async ({ page }) => {
      await page.emulateMedia({ colorScheme: theme });
      await page.goto(`${SHARED_URL}/`);
      await expect(page.locator("html")).toHaveAttribute("data-theme", theme);
      await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
      await expectNoSeriousViolations(page, `the landing page, ${theme}`);
    });

    test(`the name prompt (${theme})`, async ({ browser }) => {
      const page = await (await browser.newContext({ colorScheme: theme })).newPage();
      await page.goto(`${SHARED_URL}/r/${uniqueRoom("a11y-prompt")}`);
      await expect(page.getByRole("dialog", { name: "What should we call you?" })).toBeVisible();
      await expectNoSeriousViolations(page, `the name prompt, ${theme}`);
    });

    test(`the room alone, then with people and chat (${theme})`, async ({ browser }) => {
      const room = uniqueRoom("a11y-room");
      const ada = await themedRoom(browser, "Ada", theme, room);
      await expectNoSeriousViolations(ada, `the room alone, ${theme}`);

      const bo = await openRoom(await personContext(browser, "Bo"), SHARED_URL, room);
      await say(ada, "Hello Bo");
      await say(bo, "Hi Ada, see https://example.com");
      await expect(ada.getByRole("log", { name: "Chat" })).toContainText("Hi Ada");
      await expect(ada.getByRole("list", { name: "People in this room" }).getByRole("listitem")).toHaveCount(
        2,
      );
      await ada.getByRole("textbox", { name: "Document" }).click();
      await ada.keyboard.type("# Notes\nSome text in the document.");
      await expectNoSeriousViolations(ada, `the room with two people and chat, ${theme}`);
    });

    test(`the room with History and with Share open (${theme})`, async ({ browser }) => {
      const ada = await themedRoom(browser, "Ada", theme, uniqueRoom("a11y-dialogs"));
      await ada.getByRole("textbox", { name: "Document" }).click();
      await ada.keyboard.type("# Notes\nSome text in the document.");

      await ada.getByRole("button", { name: "History" }).click();
      await expect(ada.getByRole("dialog", { name: "Version history" })).toBeVisible();
      await expectNoSeriousViolations(ada, `the room with History open, ${theme}`);
      await ada.keyboard.press("Escape");
      await expect(ada.getByRole("dialog", { name: "Version history" })).toBeHidden();

      await ada.getByRole("button", { name: "Share" }).click();
      await expect(ada.getByRole("dialog", { name: "Share this room" })).toBeVisible();
      await expectNoSeriousViolations(ada, `the room with Share open, ${theme}`);
    });

    test(`the phone layout, chat closed and open (${theme})`, async ({ browser }) => {
      const room = uniqueRoom("a11y-phone");
      const bo = await openRoom(await personContext(browser, "Bo"), SHARED_URL, room);
      await say(bo, "A message for the phone");
      const ada = await themedRoom(browser, "Ada", theme, room, { width: 390, height: 844 });
      await expectNoSeriousViolations(ada, `the phone layout, ${theme}`);
      await ada.getByRole("button", { name: /chat/i }).first().click();
      await expect(ada.getByRole("log", { name: "Chat" })).toContainText("A message for the phone");
      await expectNoSeriousViolations(ada, `the phone layout with chat open, ${theme}`);
    });

    test(`a bot's chat message, then the room deleted by the API (${theme})`, async ({ browser }) => {
      const room = uniqueRoom("a11y-api");
      const ada = await themedRoom(browser, "Ada", theme, room);
      await say(ada, "A person's message");
      const post = {
        id: `bot-${room}`,
        author: { id: "ci-build-bot", name: "Build bot" },
        text: "Deploy finished",
      };
      await apiOk(SHARED_URL, roomPath(room, "/chat"), { json: post });
      await expect(ada.getByRole("log", { name: "Chat" })).toContainText("Deploy finished");
      await expectNoSeriousViolations(ada, `a bot's chat message, ${theme}`);
      await apiOk(SHARED_URL, roomPath(room), { method: "DELETE" });
      await expect(ada.getByRole("alert")).toContainText("This room was deleted.");
      await expectNoSeriousViolations(ada, `the deleted room, ${theme}`);
    });

    test(`the embed at 400×300 (${theme})`, async ({ browser }) => {
      const room = uniqueRoom("a11y-embed");
      const bo = await openRoom(await personContext(browser, "Bo"), SHARED_URL, room);
      await say(bo, "Hello embed");
      const page = await (await browser.newContext({ viewport: { width: 400, height: 300 } })).newPage();
      await page.goto(`${SHARED_URL}/embed/${room}?theme=${theme}&name=Visitor`);
      await expect(page.getByRole("status")).toContainText("Synced", { timeout: 20_000 });
      await expect(page.locator("html")).toHaveAttribute("data-theme", theme);
      await expectNoSeriousViolations(page, `the embed, ${theme}`);
      await page.getByRole("button", { name: "Chat" }).click();
      await expect(page.getByRole("log", { name: "Chat" })).toContainText("Hello embed");
      await expectNoSeriousViolations(page, `the embed with chat open, ${theme}`);
    });
  });
}
