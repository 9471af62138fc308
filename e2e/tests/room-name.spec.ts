import type { Page } from "@playwright/test";
import { expect, test } from "../support/test.ts";
import {
  editor,
  expectSynced,
  openRoom,
  people,
  personContext,
  roomTitle,
  typeInEditor,
  uniqueRoom,
} from "../support/room.ts";

async function renameRoom(page: Page, name: string): Promise<void> {
  await page.getByRole("button", { name: "Rename room" }).click();
  const field = page.getByRole("textbox", { name: "Room name" });
  await expect(field).toBeFocused();
  await field.fill(name);
  await field.press("Enter");
}

test("a room renamed in one browser is renamed live in another, in the header and the tab title, and stays after a reload", async ({
  browser,
  baseURL,
}) => {
  // Two people, a reload and a page change: more page loads than most tests.
  test.setTimeout(120_000);
  const room = uniqueRoom("room-name");
  const ada = await openRoom(await personContext(browser, "Ada", "#c2255c"), baseURL ?? "", room);
  const bo = await openRoom(await personContext(browser, "Bo"), baseURL ?? "", room);
  await expect(roomTitle(bo)).toHaveText("Untitled room");
  await expect(bo).toHaveTitle("Untitled room — Edgeroom");
  // The id stays reachable in the tooltip.
  await expect(roomTitle(bo)).toHaveAttribute("title", new RegExp(room));

  await renameRoom(ada, "  Q3   launch plan ");
  await expect(roomTitle(bo)).toHaveText("Q3 launch plan");
  await expect(bo).toHaveTitle("Q3 launch plan — Edgeroom");
  await expect(roomTitle(ada)).toHaveText("Q3 launch plan");
  await expect(ada).toHaveTitle("Q3 launch plan — Edgeroom");
  // Keyboard: focus comes back to the Rename button.
  await expect(ada.getByRole("button", { name: "Rename room" })).toBeFocused();

  // Escape cancels: nothing is sent, nothing changes.
  await ada.keyboard.press("Enter");
  const field = ada.getByRole("textbox", { name: "Room name" });
  await expect(field).toHaveValue("Q3 launch plan");
  await field.fill("Not this");
  await field.press("Escape");
  await expect(field).toHaveCount(0);
  await expect(roomTitle(ada)).toHaveText("Q3 launch plan");

  // Bo renames by clicking the name itself; Ada sees it.
  await roomTitle(bo).getByText("Q3 launch plan").click();
  await bo.getByRole("textbox", { name: "Room name" }).fill("Q4 plan");
  await bo.getByRole("textbox", { name: "Room name" }).press("Enter");
  await expect(roomTitle(ada)).toHaveText("Q4 plan");
  await expect(roomTitle(bo)).toHaveText("Q4 plan");

  // The share text names the room: the invitation and the embed's frame title.
  await ada.getByRole("button", { name: "Share" }).click();
  const share = ada.getByRole("dialog", { name: "Share this room" });
  await expect(share.getByText(/^Join “Q4 plan” on Edgeroom: http/)).toBeVisible();
  await expect(share.getByRole("textbox", { name: "Embed code" })).toHaveValue(/title="Q4 plan — Edgeroom"/);
  await ada.keyboard.press("Escape");
  await expect(share).toHaveCount(0);

  await bo.reload();
  await expectSynced(bo);
  await expect(roomTitle(bo)).toHaveText("Q4 plan");
  await expect(bo).toHaveTitle("Q4 plan — Edgeroom");

  // An emptied name falls back for everyone.
  await renameRoom(ada, "   ");
  await expect(roomTitle(bo)).toHaveText("Untitled room");

  await bo.goto(`${baseURL}/`);
  await expect(bo).toHaveTitle("Edgeroom");
});

test("a person renames themselves from the people list and the other person sees it live", async ({
  browser,
  baseURL,
}) => {
  test.setTimeout(90_000);
  const room = uniqueRoom("self-rename");
  const ada = await openRoom(await personContext(browser, "Ada", "#c2255c"), baseURL ?? "", room);
  const bo = await openRoom(await personContext(browser, "Bo"), baseURL ?? "", room);
  await expect(people(bo)).toHaveCount(2);

  const own = people(ada).filter({ hasText: "(you)" });
  await own.getByRole("button", { name: "Rename yourself" }).click();
  const field = ada.getByRole("textbox", { name: "Your name" });
  await expect(field).toBeFocused();
  await field.fill("Ada Lovelace");
  await field.press("Enter");

  await expect(people(bo).filter({ hasText: "Ada Lovelace" })).toHaveCount(1);
  await expect(people(ada).filter({ hasText: "(you)" })).toContainText("Ada Lovelace");
  await expect(ada.getByRole("button", { name: "Rename yourself" })).toBeFocused();
  // Saved like the name prompt: a reload keeps it.
  await ada.reload();
  await expectSynced(ada);
  await expect(people(ada).filter({ hasText: "(you)" })).toContainText("Ada Lovelace");
  await expect(people(bo).filter({ hasText: "Ada Lovelace" })).toHaveCount(1);
  await expect(people(bo)).toHaveCount(2);
});

test("an empty document shows a hint with the copy-link action, gone once there is text", async ({
  browser,
  baseURL,
}) => {
  const room = uniqueRoom("empty-hint");
  const ada = await openRoom(await personContext(browser, "Ada", "#c2255c"), baseURL ?? "", room);
  const bo = await openRoom(await personContext(browser, "Bo"), baseURL ?? "", room);
  const hint = (page: Page) => page.getByRole("note", { name: "Empty document" });
  await expect(hint(ada)).toContainText("Start typing");
  await expect(hint(ada).getByRole("button", { name: "Copy link" })).toBeVisible();
  await expect(hint(bo)).toBeVisible();

  // The hint does not stand in the way: a click where it is not still reaches the editor.
  await typeInEditor(ada, "h");
  await expect(hint(ada)).toHaveCount(0);
  await expect(hint(bo)).toHaveCount(0);
  await expect(editor(bo)).toContainText("h");

  await ada.keyboard.press("Backspace");
  await expect(hint(bo)).toBeVisible();
});

test("an embed and the share preview show the room's name, not its id", async ({ browser, baseURL }) => {
  test.setTimeout(90_000);
  const room = uniqueRoom("room-name-embed");
  const ada = await openRoom(await personContext(browser, "Ada"), baseURL ?? "", room);
  await renameRoom(ada, "Design review");
  await expect(roomTitle(ada)).toHaveText("Design review");

  await ada.getByRole("button", { name: "Share" }).click();
  const preview = ada.getByRole("img", { name: /^Preview:/ });
  await expect(preview).toContainText("Design review");
  await expect(preview).not.toContainText(room);
  await ada.keyboard.press("Escape");

  const embed = await (await browser.newContext({ viewport: { width: 400, height: 300 } })).newPage();
  await embed.goto(`${baseURL}/embed/${room}`);
  const link = embed.getByRole("link", { name: "Open room Design review in Edgeroom (new tab)" });
  await expect(link).toBeVisible();
  await expect(link).toHaveAttribute("title", room);
  await embed.context().close();
});
