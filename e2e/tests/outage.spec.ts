/**
 * Long outages merge: one person is offline while both edit the same lines
 * and the offline one also chats; back online, both screens show one
 * identical document holding both people's edits, quickly, and the offline
 * chat arrives once, in order.
 *
 * Two minutes: well past every timeout an outage crosses (the room takes a
 * silent socket for dead after 15 s, `LIMITS.heartbeatTimeoutMs`; y-protocols
 * drops an awareness state after 30 s; the client's backoff reaches its 10 s
 * ceiling after about 20 s), and as long as the outage people reported.
 */
import type { Page } from "@playwright/test";
import { expect, test } from "../support/test.ts";
import {
  documentText,
  editor,
  expectDocument,
  expectSynced,
  openRoom,
  personContext,
  typeInEditor,
  uniqueRoom,
} from "../support/room.ts";

const OUTAGE_MS = 120_000;
/** Back online means back now: the merge is on both screens within this of the network returning. */
const MERGED_WITHIN_MS = 3_000;

function chatMessages(page: Page) {
  return page.getByRole("log", { name: "Chat" }).locator(".message-text");
}

async function say(page: Page, text: string): Promise<void> {
  await page.getByRole("textbox", { name: "Message" }).fill(text);
  await page.getByRole("textbox", { name: "Message" }).press("Enter");
}

/** Types at the end of the document's first line. */
async function typeOnFirstLine(page: Page, text: string): Promise<void> {
  await editor(page).click();
  await page.keyboard.press("Control+Home");
  await page.keyboard.press("End");
  await page.keyboard.type(text);
}

test("a long outage with edits on both sides of the same lines merges on every screen, chat once and in order", async ({
  browser,
  baseURL,
}) => {
  test.setTimeout(OUTAGE_MS + 120_000);
  const room = uniqueRoom("outage");
  const adaContext = await personContext(browser, "Ada");
  const ada = await openRoom(adaContext, baseURL ?? "", room);
  const bo = await openRoom(await personContext(browser, "Bo"), baseURL ?? "", room);
  await typeInEditor(ada, "Shared line.\nSecond line.");
  await expectDocument(bo, "Shared line.\nSecond line.");

  await adaContext.setOffline(true);
  await expect(ada.getByRole("status")).toContainText("Offline");
  await typeOnFirstLine(ada, " Ada-1");
  await typeOnFirstLine(bo, " Bo-1");
  await say(ada, "offline one");
  await ada.waitForTimeout(OUTAGE_MS / 2);
  await typeOnFirstLine(ada, " Ada-2");
  await say(ada, "offline two");
  await typeOnFirstLine(bo, " Bo-2");
  await ada.waitForTimeout(OUTAGE_MS / 2);
  await say(ada, "offline three");
  // Nothing of Ada's reached Bo during the outage.
  expect(await documentText(bo)).toBe("Shared line. Bo-1 Bo-2\nSecond line.");
  await expect(chatMessages(bo)).toHaveCount(0);

  await adaContext.setOffline(false);
  const back = Date.now();
  await expect
    .poll(async () => [await documentText(ada), await documentText(bo)], { timeout: MERGED_WITHIN_MS })
    .toEqual([expect.stringContaining("Ada-2"), expect.stringContaining("Ada-2")]);
  const merged = Date.now() - back;
  await expectSynced(ada);
  const adaText = await documentText(ada);
  expect(await documentText(bo)).toBe(adaText);
  for (const edit of [" Ada-1", " Ada-2", " Bo-1", " Bo-2"]) expect(adaText).toContain(edit);
  expect(adaText.split("\n")[1]).toBe("Second line.");
  console.log(`merged on both screens ${merged} ms after the network returned: ${JSON.stringify(adaText)}`);

  const sent = ["offline one", "offline two", "offline three"];
  await expect(chatMessages(bo)).toHaveText(sent);
  await expect(chatMessages(ada)).toHaveText(sent);
  await bo.waitForTimeout(500);
  await expect(chatMessages(bo)).toHaveText(sent);
});
