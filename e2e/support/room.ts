/** Helpers for driving the room page as a person would, through accessible names only. */
import { expect, type Browser, type BrowserContext, type Page } from "@playwright/test";

export function uniqueRoom(label: string): string {
  return `${label}-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`;
}

/** A browser context whose person already picked a name (as after a first visit). */
export async function personContext(
  browser: Browser,
  name: string,
  color = "#1971c2",
): Promise<BrowserContext> {
  const context = await browser.newContext();
  await context.addInitScript(
    ([n, c]) => {
      if (!localStorage.getItem("edgeroom:user")) {
        localStorage.setItem("edgeroom:user", JSON.stringify({ name: n, color: c }));
      }
    },
    [name, color],
  );
  return context;
}

export async function openRoom(context: BrowserContext, base: string, room: string): Promise<Page> {
  const page = await context.newPage();
  await page.goto(`${base}/r/${room}`);
  await expectSynced(page);
  return page;
}

export async function expectSynced(page: Page): Promise<void> {
  await expect(page.getByRole("status")).toContainText("Synced", { timeout: 20_000 });
}

export function editor(page: Page) {
  return page.getByRole("textbox", { name: "Document" });
}

/** The document's text as a person reads it: its lines, without the name labels of other people's carets. */
export function documentText(page: Page): Promise<string> {
  return editor(page).evaluate((content) => {
    const lines = [...content.querySelectorAll(".cm-line")].map((line) => {
      const copy = line.cloneNode(true) as HTMLElement;
      for (const caret of copy.querySelectorAll(".cm-ySelectionCaret")) caret.remove();
      return copy.textContent ?? "";
    });
    return lines.join("\n").replace(/\u2060/g, "");
  });
}

export async function expectDocument(page: Page, text: string): Promise<void> {
  await expect.poll(() => documentText(page)).toBe(text);
}

export async function typeInEditor(page: Page, text: string): Promise<void> {
  await editor(page).click();
  await page.keyboard.press("Control+End");
  await page.keyboard.type(text);
}

export function people(page: Page) {
  return page.getByRole("list", { name: "People in this room" }).getByRole("listitem");
}

/** The header's room title: the room's name (or "Untitled room"), with the room's id in its tooltip. */
export function roomTitle(page: Page) {
  return page.getByRole("banner").getByRole("heading", { level: 1 });
}

/** The page shows this room's header (whatever its name). */
export async function expectRoomHeader(page: Page, room: string): Promise<void> {
  await expect(roomTitle(page)).toHaveAttribute("title", new RegExp(room));
}
