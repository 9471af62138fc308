/**
 * Version history, restore, export and import, and the saved indicator, in
 * real Chromium against the real room (snapshots land in wrangler dev's local R2).
 */
import { readFile } from "node:fs/promises";
import type { Page } from "@playwright/test";
import { expect, test } from "../support/test.ts";
import * as Y from "yjs";
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

/** The top bar: the saved indicator lives there, next to the connection status. */
function topBar(page: Page) {
  return page.getByRole("banner");
}

async function expectAllSaved(page: Page): Promise<void> {
  await expect(topBar(page)).toContainText("All changes saved");
}

async function openHistory(page: Page) {
  await page.getByRole("button", { name: "History" }).click();
  const panel = page.getByRole("dialog", { name: "Version history" });
  await expect(panel).toBeVisible();
  return panel;
}

/** Which of red and green a computed colour (rgb(), rgba() or color(srgb …) from color-mix) leans to. */
function hueOf(color: string): "red" | "green" | "other" {
  const scale = color.startsWith("color(") ? 255 : 1;
  const [r = 0, g = 0] = (color.match(/\d*\.?\d+/g) ?? []).map((n) => Number(n) * scale);
  if (r > g + 20) return "red";
  if (g > r + 20) return "green";
  return "other";
}

function versions(panel: ReturnType<Page["getByRole"]>) {
  return panel.getByRole("list", { name: "Saved versions, newest first" }).getByRole("button");
}

test("a saved version is listed, shown read-only, and restored for everyone as an undoable change", async ({
  browser,
  baseURL,
}) => {
  const room = uniqueRoom("history");
  const ada = await openRoom(await personContext(browser, "Ada", "#c2255c"), baseURL ?? "", room);
  const bo = await openRoom(await personContext(browser, "Bo"), baseURL ?? "", room);

  await typeInEditor(ada, "Version one.");
  await expectAllSaved(ada);
  await expectDocument(bo, "Version one.");

  let panel = await openHistory(ada);
  // The room saves a snapshot a couple of seconds after the last edit, and pushes the new list.
  await expect(versions(panel)).toHaveCount(1, { timeout: 20_000 });
  await expect(versions(panel).first()).toContainText("Ada");
  await expect(versions(panel).first()).toContainText(/Today \d\d:\d\d:\d\d/);
  await ada.keyboard.press("Escape");
  await expect(panel).toBeHidden();

  await editor(ada).click();
  await ada.keyboard.press("Control+A");
  await ada.keyboard.type("Replaced text.");
  await expectAllSaved(ada);
  await expectDocument(bo, "Replaced text.");

  panel = await openHistory(ada);
  const oldest = versions(panel).last();
  await oldest.click();
  await expect(oldest).toHaveAttribute("aria-pressed", "true");
  await expect(panel.getByLabel("Version text")).toHaveText("Version one.");
  const restore = panel.getByRole("button", { name: "Restore this version" });
  await panel.getByRole("button", { name: "Changes since" }).click();
  const changes = panel.getByLabel("Changes between this version and now");
  // Read forwards in time, as GitHub and Google Docs do: the old text was removed, the new text added.
  const removed = changes.locator(".diff-removed");
  const added = changes.locator(".diff-added");
  await expect(removed).toHaveText(["−removed: Version one.\n"]);
  await expect(added).toHaveText(["+added: Replaced text.\n"]);
  await expect(removed).toHaveCSS("text-decoration-line", "line-through");
  await expect(added).not.toHaveCSS("text-decoration-line", "line-through");
  expect(hueOf(await removed.evaluate((el) => getComputedStyle(el).backgroundColor))).toBe("red");
  expect(hueOf(await added.evaluate((el) => getComputedStyle(el).backgroundColor))).toBe("green");

  // The live document heads the list as the current version; it cannot be restored over itself, and says so.
  const now = panel.getByRole("button", { name: /^Now\s*Current version/ });
  await now.click();
  await expect(now).toHaveAttribute("aria-pressed", "true");
  await expect(panel.getByRole("heading", { name: "Current version" })).toBeVisible();
  await expect(panel.getByLabel("Version text")).toHaveText("Replaced text.");
  await expect(restore).toBeDisabled();
  await expect(restore).toHaveAccessibleDescription("This is the current version.");
  await expect(panel.getByText("This is the current version.")).toBeVisible();
  await oldest.click();
  await expect(restore).toBeEnabled();
  await expect(panel.getByText("This is the current version.")).toHaveCount(0);

  await restore.click();
  await expect(panel).toBeHidden();
  await expectDocument(ada, "Version one.");
  await expectDocument(bo, "Version one.");
  await expectAllSaved(ada);

  // The restore was a change like any other: undo takes it back, for everyone.
  await editor(ada).click();
  await ada.keyboard.press("Control+z");
  await expectDocument(ada, "Replaced text.");
  await expectDocument(bo, "Replaced text.");
});

test("the document downloads as Markdown and as a Yjs update, which imports into an empty room", async ({
  browser,
  baseURL,
}) => {
  const room = uniqueRoom("export");
  const ada = await openRoom(await personContext(browser, "Ada"), baseURL ?? "", room);
  await typeInEditor(ada, "# Notes\n\nExported and imported.");
  await expectAllSaved(ada);
  const text = await documentText(ada);
  expect(text).toBe("# Notes\n\nExported and imported.");

  const panel = await openHistory(ada);
  const [markdown] = await Promise.all([
    ada.waitForEvent("download"),
    panel.getByRole("button", { name: "Download Markdown" }).click(),
  ]);
  expect(markdown.suggestedFilename()).toBe(`${room}.md`);
  expect(await readFile(await markdown.path(), "utf8")).toBe(text);

  const [yjs] = await Promise.all([
    ada.waitForEvent("download"),
    panel.getByRole("button", { name: "Download Yjs update" }).click(),
  ]);
  expect(yjs.suggestedFilename()).toBe(`${room}.yjs`);
  const updatePath = await yjs.path();
  const copy = new Y.Doc();
  Y.applyUpdate(copy, new Uint8Array(await readFile(updatePath)));
  expect(copy.getText("content").toString()).toBe(text);
  // Import needs an empty document, so it is offered only there.
  await expect(panel.getByRole("button", { name: "Import Yjs update…" })).toBeDisabled();

  const target = uniqueRoom("import");
  const cy = await openRoom(await personContext(browser, "Cy"), baseURL ?? "", target);
  const dee = await openRoom(await personContext(browser, "Dee"), baseURL ?? "", target);
  const importPanel = await openHistory(cy);
  const [chooser] = await Promise.all([
    cy.waitForEvent("filechooser"),
    importPanel.getByRole("button", { name: "Import Yjs update…" }).click(),
  ]);
  await chooser.setFiles(updatePath);
  await expect(importPanel).toContainText("Imported");
  await expectDocument(dee, text);
  await expectAllSaved(cy);
});

test("a file that is not a Yjs update is refused with a clear error and changes nothing", async ({
  browser,
  baseURL,
}) => {
  const cy = await openRoom(await personContext(browser, "Cy"), baseURL ?? "", uniqueRoom("bad-import"));
  const panel = await openHistory(cy);
  const [chooser] = await Promise.all([
    cy.waitForEvent("filechooser"),
    panel.getByRole("button", { name: "Import Yjs update…" }).click(),
  ]);
  await chooser.setFiles({
    name: "notes.yjs",
    mimeType: "application/octet-stream",
    buffer: Buffer.from("# not yjs"),
  });
  await expect(panel.getByRole("alert")).toContainText("not a Yjs update");
  await cy.keyboard.press("Escape");
  await expectDocument(cy, "");
});

test("the saved indicator counts changes made offline and says saved only after the room stored them", async ({
  browser,
  baseURL,
}) => {
  const room = uniqueRoom("saved");
  const adaContext = await personContext(browser, "Ada");
  const ada = await openRoom(adaContext, baseURL ?? "", room);
  const bo = await openRoom(await personContext(browser, "Bo"), baseURL ?? "", room);
  await typeInEditor(ada, "Online. ");
  await expectAllSaved(ada);

  await adaContext.setOffline(true);
  await expect(ada.getByRole("status")).toContainText("Offline");
  await typeInEditor(ada, "abc");
  // Not in the room yet, but kept on this device (IndexedDB): a reload would not lose it.
  await expect(topBar(ada)).toContainText("Saved on this device — will sync when online");
  await expectDocument(bo, "Online. ");

  await adaContext.setOffline(false);
  await expectSynced(ada);
  await expectAllSaved(ada);
  await expectDocument(bo, "Online. abc");
});
