/**
 * The document is kept on the device: text typed offline is in IndexedDB, so
 * it survives a closed page and a closed browser, and reaches the room (and
 * everyone in it) with the next connection's sync. The saved indicator tells
 * "in the room", "on this device" and "at risk" apart, and only the last makes
 * leaving the page warn. Real Chromium against the real room.
 */
import type { BrowserContext, Page } from "@playwright/test";
import { expect, test } from "../support/test.ts";
import { expectDocument, openRoom, personContext, typeInEditor, uniqueRoom } from "../support/room.ts";

function saveStatus(page: Page) {
  return page.getByTestId("save-status");
}

/** Types while offline and waits until the indicator says the text is on the device. */
async function typeOffline(context: BrowserContext, page: Page, text: string): Promise<void> {
  await context.setOffline(true);
  await expect(page.getByRole("status")).toContainText("Offline");
  await typeInEditor(page, text);
  await expect(saveStatus(page)).toHaveText("Saved on this device — will sync when online");
}

/** Closes the page as a person would, running `beforeunload`; returns whether it asked to stay. */
async function closeAndSeeIfItWarned(page: Page): Promise<boolean> {
  let warned = false;
  page.on("dialog", (dialog) => {
    if (dialog.type() === "beforeunload") warned = true;
    void dialog.accept();
  });
  await page.close({ runBeforeUnload: true });
  await page.waitForEvent("close");
  return warned;
}

test("text typed offline survives closing the page and reaches everyone once back online", async ({
  browser,
  baseURL,
}) => {
  const room = uniqueRoom("device");
  const adaContext = await personContext(browser, "Ada");
  const ada = await openRoom(adaContext, baseURL ?? "", room);
  await typeInEditor(ada, "Online. ");
  await expect(saveStatus(ada)).toHaveText("All changes saved");

  await typeOffline(adaContext, ada, "Typed offline.");
  // On the device, nothing is at risk: closing does not ask to stay.
  expect(await closeAndSeeIfItWarned(ada)).toBe(false);

  await adaContext.setOffline(false);
  const again = await openRoom(adaContext, baseURL ?? "", room);
  await expectDocument(again, "Online. Typed offline.");
  await expect(saveStatus(again)).toHaveText("All changes saved");
  const bo = await openRoom(await personContext(browser, "Bo"), baseURL ?? "", room);
  await expectDocument(bo, "Online. Typed offline.");
});

test("text typed offline survives closing the browser and opening it again with the same storage", async ({
  browser,
  baseURL,
}) => {
  const room = uniqueRoom("device-restart");
  const adaContext = await personContext(browser, "Ada");
  const ada = await openRoom(adaContext, baseURL ?? "", room);
  await typeInEditor(ada, "Before. ");
  await expect(saveStatus(ada)).toHaveText("All changes saved");
  await typeOffline(adaContext, ada, "While the network was gone.");

  const storageState = await adaContext.storageState({ indexedDB: true });
  await adaContext.close();

  // The browser starts again, online, with what it had stored.
  const restarted = await browser.newContext({ storageState });
  const back = await openRoom(restarted, baseURL ?? "", room);
  await expectDocument(back, "Before. While the network was gone.");
  await expect(saveStatus(back)).toHaveText("All changes saved");
  const bo = await openRoom(await personContext(browser, "Bo"), baseURL ?? "", room);
  await expectDocument(bo, "Before. While the network was gone.");
});

test("without a device copy, changes made offline are at risk: the indicator counts them and leaving warns", async ({
  browser,
  baseURL,
}) => {
  const room = uniqueRoom("device-none");
  const adaContext = await personContext(browser, "Ada");
  // A browser that keeps no IndexedDB (some private modes, storage turned off).
  await adaContext.addInitScript(() => {
    Object.defineProperty(window, "indexedDB", { value: undefined, configurable: true });
  });
  const ada = await openRoom(adaContext, baseURL ?? "", room);
  await typeInEditor(ada, "Online. ");
  await expect(saveStatus(ada)).toHaveText("All changes saved");

  await adaContext.setOffline(true);
  await expect(ada.getByRole("status")).toContainText("Offline");
  await typeInEditor(ada, "abc");
  await expect(saveStatus(ada)).toHaveText("Offline — 3 changes not yet saved");
  expect(await closeAndSeeIfItWarned(ada)).toBe(true);

  await adaContext.setOffline(false);
  const again = await openRoom(adaContext, baseURL ?? "", room);
  await expectDocument(again, "Online. ");
});
