/**
 * The Share dialog: its preview is a picture of the embed, not a second copy
 * of the person (no socket, nobody new in the room), and it says whether any
 * other site may embed the room yet.
 */
import type { Page } from "@playwright/test";
import { expect, test } from "../support/test.ts";
import { openRoom, people, personContext, typeInEditor, uniqueRoom } from "../support/room.ts";
import { EMBED_HOST_ORIGIN, SHARED_URL } from "../support/shared-server.ts";

async function openShare(page: Page) {
  await page.getByRole("button", { name: "Share" }).click();
  const dialog = page.getByRole("dialog", { name: "Share this room" });
  await expect(dialog).toBeVisible();
  return dialog;
}

test("opening Share adds nobody to the room: no new person, no Guest, no second socket", async ({
  browser,
}) => {
  test.slow(); // two people and a three-second watch on a busy machine
  const room = uniqueRoom("share-person");
  const ada = await openRoom(await personContext(browser, "Ada"), SHARED_URL, room);
  const bo = await openRoom(await personContext(browser, "Bo"), SHARED_URL, room);
  await expect(people(bo)).toHaveCount(2);
  await typeInEditor(ada, "First line\nSecond line");

  const sockets: string[] = [];
  ada.on("websocket", (socket) => sockets.push(socket.url()));
  const dialog = await openShare(ada);
  // The default name stays empty: the old live preview joined as "Guest" then.
  await expect(dialog.getByRole("textbox", { name: "Default name" })).toHaveValue("");
  await expect(dialog.getByRole("img", { name: /^Preview/ })).toContainText("Second line");
  await dialog.getByRole("radio", { name: "View only" }).check();
  await dialog.getByRole("checkbox", { name: "Show chat" }).uncheck();

  // Long enough for an embed to load, connect and announce itself.
  await bo.waitForTimeout(3_000);
  await expect(people(bo)).toHaveCount(2);
  await expect(people(bo).filter({ hasText: "Guest" })).toHaveCount(0);
  await expect(people(ada)).toHaveCount(2);
  await expect(dialog.locator("iframe")).toHaveCount(0);
  expect(sockets).toEqual([]);
});

test("the preview shows the document's text and the chosen options", async ({ browser }) => {
  test.slow(); // two people on a busy machine
  const room = uniqueRoom("share-preview");
  const ada = await openRoom(await personContext(browser, "Ada"), SHARED_URL, room);
  await typeInEditor(ada, "# Plan\n<b>not bold</b> stays text");
  const dialog = await openShare(ada);
  const preview = dialog.getByRole("img", { name: /^Preview/ });

  await expect(preview).toContainText("# Plan");
  // Document text is shown as text, never parsed as markup.
  await expect(preview).toContainText("<b>not bold</b> stays text");
  await expect(preview.locator("b")).toHaveCount(0);
  await expect(preview).toContainText("Untitled room");
  await expect(preview).toContainText("Chat");
  await expect(preview).not.toContainText("View only");

  await dialog.getByRole("radio", { name: "View only" }).check();
  await dialog.getByRole("checkbox", { name: "Show chat" }).uncheck();
  await dialog.getByRole("combobox", { name: "Theme" }).selectOption("dark");
  await dialog.getByRole("textbox", { name: "Default name" }).fill("Grace Hopper");
  await expect(preview).toContainText("View only");
  await expect(preview).not.toContainText("Chat");
  await expect(preview).toHaveAttribute("data-theme", "dark");
  await expect(preview).toHaveAttribute("aria-label", "Preview: view only, without chat, dark theme");
  await expect(preview).toContainText("GH");
  // The dark theme's colours apply inside the preview even on a light page.
  const background = await preview.evaluate((el) => getComputedStyle(el).backgroundColor);
  expect(background).toBe("rgb(23, 26, 34)");

  // Others' edits show up while the dialog is open.
  const bo = await openRoom(await personContext(browser, "Bo"), SHARED_URL, room);
  await typeInEditor(bo, "\nfrom Bo");
  await expect(preview).toContainText("from Bo");
});

test("Share names the sites allowed to embed, and says how to allow one when there are none", async ({
  browser,
}) => {
  const room = uniqueRoom("share-origins");
  const ada = await openRoom(await personContext(browser, "Ada"), SHARED_URL, room);
  let dialog = await openShare(ada);
  // The test server allows the embed tests' host page.
  await expect(dialog).toContainText(`Sites allowed to embed: ${EMBED_HOST_ORIGIN}`);
  await expect(dialog).not.toContainText("No other site may embed");
  await ada.keyboard.press("Escape");

  // A deploy with an empty EMBED_ALLOWED_ORIGINS answers with no origins.
  await ada.route("**/embed-config.json", (route) => route.fulfill({ json: { allowedOrigins: [] } }));
  dialog = await openShare(ada);
  const notice = dialog.getByRole("note");
  await expect(notice).toContainText("No other site may embed this room yet.");
  await expect(notice).toContainText("EMBED_ALLOWED_ORIGINS");
  await expect(notice).toContainText("wrangler.toml");
  await expect(notice).toContainText("docs/embedding.md");
});
