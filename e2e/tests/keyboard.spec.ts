/**
 * The room by keyboard alone: the name prompt holds focus until a name is
 * given, Join leaves the caret in the document, the document shows a focus
 * ring, and Escape closes every overlay, handing focus back to its opener.
 */
import type { Page } from "@playwright/test";
import { expect, test } from "../support/test.ts";
import { documentText, editor, expectSynced, openRoom, personContext, uniqueRoom } from "../support/room.ts";
import { SHARED_URL } from "../support/shared-server.ts";

/** What has focus, described for a failure message: its tag, role/label and whether it is inside the prompt. */
function focusInPrompt(page: Page): Promise<{ inside: boolean; what: string }> {
  return page.evaluate(() => {
    const active = document.activeElement;
    const prompt = document.querySelector("dialog[open]");
    return {
      inside: Boolean(active && prompt?.contains(active)),
      what: `${active?.tagName ?? "none"} ${active?.getAttribute("aria-label") ?? active?.textContent?.slice(0, 30) ?? ""}`,
    };
  });
}

test("the name prompt keeps Tab inside, ignores Escape and lets nothing behind it be used", async ({
  browser,
}) => {
  const page = await (await browser.newContext()).newPage();
  await page.goto(`${SHARED_URL}/r/${uniqueRoom("kbd-prompt")}`);
  const prompt = page.getByRole("dialog", { name: "What should we call you?" });
  await expect(prompt).toBeVisible();
  await expect(prompt.getByRole("textbox", { name: "Your name" })).toBeFocused();

  await page.keyboard.type("Kim");
  // Forwards and backwards, more often than there are controls on the whole page.
  for (const key of [...Array<string>(12).fill("Tab"), ...Array<string>(12).fill("Shift+Tab")]) {
    await page.keyboard.press(key);
    const focus = await focusInPrompt(page);
    expect(focus.inside, `after ${key}, focus is on ${focus.what}`).toBe(true);
  }
  // Nothing behind it answers the pointer either: a click where Share is shown opens nothing.
  const share = await page.locator("header button", { hasText: "Share" }).boundingBox();
  expect(share).not.toBeNull();
  if (share) await page.mouse.click(share.x + share.width / 2, share.y + share.height / 2);
  await page.waitForTimeout(300);
  await expect(page.getByRole("dialog", { name: "Share this room" })).toHaveCount(0);

  // A name is required: Escape (even twice, which Chromium would otherwise let through) leaves it open.
  await page.keyboard.press("Escape");
  await page.keyboard.press("Escape");
  await expect(prompt).toBeVisible();
  await expect(page.getByRole("dialog", { name: "Share this room" })).toHaveCount(0);
});

test("after Join typing goes into the document, which shows a focus ring while it has focus", async ({
  browser,
}) => {
  const page = await (await browser.newContext()).newPage();
  await page.goto(`${SHARED_URL}/r/${uniqueRoom("kbd-join")}`);
  const prompt = page.getByRole("dialog", { name: "What should we call you?" });
  await expect(prompt.getByRole("textbox", { name: "Your name" })).toBeFocused();
  await page.keyboard.type("Kim");
  await page.keyboard.press("Enter");
  await expect(prompt).toBeHidden();
  await expectSynced(page);
  await expect(editor(page)).toBeFocused();
  await page.keyboard.type("typed straight after Join");
  await expect.poll(() => documentText(page)).toBe("typed straight after Join");

  const documentArea = page.getByRole("region", { name: "Document editor" });
  const ring = () =>
    documentArea.evaluate((el) => {
      const style = getComputedStyle(el);
      return style.outlineStyle !== "none" && parseFloat(style.outlineWidth) >= 2;
    });
  await expect.poll(ring).toBe(true);
  // The ring belongs to focus: it goes when focus moves on, and comes back with it.
  await page.getByRole("button", { name: "Share" }).focus();
  await expect.poll(ring).toBe(false);
  await editor(page).focus();
  await expect.poll(ring).toBe(true);
});

test("Escape closes Share and History and gives focus back to the button that opened them", async ({
  browser,
}) => {
  const page = await openRoom(await personContext(browser, "Ada"), SHARED_URL, uniqueRoom("kbd-esc"));
  for (const [button, dialog] of [
    ["Share", "Share this room"],
    ["History", "Version history"],
  ] as const) {
    const opener = page.getByRole("button", { name: button, exact: true });
    await opener.focus();
    await page.keyboard.press("Enter");
    await expect(page.getByRole("dialog", { name: dialog })).toBeVisible();
    await page.keyboard.press("Escape");
    await expect(page.getByRole("dialog", { name: dialog })).toHaveCount(0);
    await expect(opener).toBeFocused();
  }
});

test("Escape closes the phone's chat and gives focus back to the Chat button", async ({ browser }) => {
  const context = await personContext(browser, "Ada");
  const page = await context.newPage();
  await page.setViewportSize({ width: 390, height: 844 });
  await page.goto(`${SHARED_URL}/r/${uniqueRoom("kbd-phone")}`);
  await expectSynced(page);
  const toggle = page.locator('[aria-controls="chat-panel"]');
  await toggle.click();
  await page.getByRole("textbox", { name: "Message" }).focus();
  await page.keyboard.press("Escape");
  await expect(page.getByRole("textbox", { name: "Message" })).toHaveCount(0);
  await expect(toggle).toBeFocused();
  await expect(toggle).toHaveAttribute("aria-expanded", "false");
});

test("Escape closes the embed's chat and gives focus back to the Chat button", async ({ browser }) => {
  const page = await (await browser.newContext({ viewport: { width: 400, height: 300 } })).newPage();
  await page.goto(`${SHARED_URL}/embed/${uniqueRoom("kbd-embed")}?name=Visitor`);
  await expect(page.getByRole("status")).toContainText("Synced", { timeout: 20_000 });
  const toggle = page.getByRole("button", { name: "Chat" });
  await toggle.click();
  await expect(page.getByRole("log", { name: "Chat" })).toBeVisible();
  await page.getByRole("textbox", { name: "Message" }).focus();
  await page.keyboard.press("Escape");
  await expect(page.getByRole("log", { name: "Chat" })).toHaveCount(0);
  await expect(toggle).toBeFocused();
});
