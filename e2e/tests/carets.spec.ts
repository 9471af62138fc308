/**
 * Carets carry the right name whatever the colours, people get colours apart
 * from each other, and name labels inform without covering: they show while a
 * person acts, fold to a flag, show on hover, stay inside the editor, and a
 * person shows one name at a time (caret or pointer).
 */
import type { Browser, BrowserContext, Page } from "@playwright/test";
import WebSocket from "ws";
import { WebsocketProvider } from "y-websocket";
import * as Y from "yjs";
import { expect, test } from "../support/test.ts";
import {
  editor,
  expectDocument,
  openRoom,
  people,
  personContext,
  typeInEditor,
  uniqueRoom,
} from "../support/room.ts";
import { SHARED_PORT, SHARED_URL } from "../support/shared-server.ts";

const SAME_COLOR = "#1971c2";

// Two to four browsers per test: give a loaded machine room (each step still waits at most 10 s).
test.describe.configure({ timeout: 120_000 });

/** A stock y-websocket client (no code of ours) that publishes a caret under the given name and colour. */
function stockPerson(room: string, name: string, color: string) {
  const doc = new Y.Doc();
  const provider = new WebsocketProvider(`ws://127.0.0.1:${SHARED_PORT}/parties/room`, room, doc, {
    WebSocketPolyfill: WebSocket as unknown as typeof globalThis.WebSocket,
    disableBc: true,
  });
  const text = doc.getText("content");
  provider.awareness.setLocalStateField("user", { name, color });
  return {
    text,
    /** `assoc` -1 ties the caret to the character before it, so text typed at the caret goes after it. */
    caretAt(index: number, assoc = 0) {
      const at = Y.createRelativePositionFromTypeIndex(text, index, assoc);
      provider.awareness.setLocalStateField("cursor", { anchor: at, head: at });
    },
    destroy: () => provider.destroy(),
  };
}

/** The carets on the page, left to right on the first line, as the names their labels hold. */
function caretNamesLeftToRight(page: Page): Promise<string[]> {
  return editor(page).evaluate((content) =>
    [...content.querySelectorAll<HTMLElement>(".cm-ySelectionCaret")]
      .map((caret) => ({
        x: caret.getBoundingClientRect().left,
        name: caret.querySelector(".cm-ySelectionInfo")?.textContent ?? "",
      }))
      .sort((a, b) => a.x - b.x)
      .map((caret) => caret.name),
  );
}

function caretOf(page: Page, name: string) {
  return editor(page)
    .locator(".cm-ySelectionCaret")
    .filter({ has: page.locator(".cm-ySelectionInfo", { hasText: name }) });
}

function pointerOf(page: Page, name: string) {
  return page.locator(`.remote-pointer[data-name="${name}"]`);
}

/** A context whose person remembers `color` for `room` (as after an earlier visit) and in their identity. */
async function rememberingContext(
  browser: Browser,
  name: string,
  room: string,
  color: string,
): Promise<BrowserContext> {
  const context = await personContext(browser, name, color);
  await context.addInitScript(
    ([key, value]: [string, string]) => {
      if (!sessionStorage.getItem("seeded")) {
        localStorage.setItem(key, value);
        sessionStorage.setItem("seeded", "1");
      }
    },
    [`edgeroom:room-color:${room}`, color] as [string, string],
  );
  return context;
}

function roomColor(page: Page, room: string): Promise<string | null> {
  return page.evaluate((key) => localStorage.getItem(key), `edgeroom:room-color:${room}`);
}

test("two people with the same colour: a third sees each caret with its own name", async ({
  browser,
  baseURL,
}) => {
  const room = uniqueRoom("same-colour");
  const cy = await openRoom(await personContext(browser, "Cy"), baseURL ?? "", room);
  await typeInEditor(cy, "hello world, two people write here");
  await expectDocument(cy, "hello world, two people write here");
  const ada = stockPerson(room, "Ada", SAME_COLOR);
  const bo = stockPerson(room, "Bo", SAME_COLOR);
  try {
    await expect.poll(() => ada.text.toString()).toContain("two people");
    await expect.poll(() => bo.text.toString()).toContain("two people");
    ada.caretAt(3);
    bo.caretAt(20);
    await expect.poll(() => caretNamesLeftToRight(cy)).toEqual(["Ada", "Bo"]);

    // Both at one place; then Ada types there, which moves her caret past Bo's in one update.
    // y-codemirror's widget (equal by colour) kept the first caret's label where it was: it read Ada, Bo.
    bo.caretAt(10, -1);
    ada.caretAt(10);
    await expect.poll(async () => (await caretNamesLeftToRight(cy)).sort()).toEqual(["Ada", "Bo"]);
    await expect(editor(cy).locator(".cm-ySelectionCaret")).toHaveCount(2);
    ada.text.insert(10, "!");
    await expect.poll(() => caretNamesLeftToRight(cy)).toEqual(["Bo", "Ada"]);

    // The same the other way round.
    ada.caretAt(25, -1);
    bo.caretAt(25);
    await expect(editor(cy).locator(".cm-ySelectionCaret")).toHaveCount(2);
    bo.text.insert(25, "?");
    await expect.poll(() => caretNamesLeftToRight(cy)).toEqual(["Ada", "Bo"]);

    // Ada leaves; Bo's caret reads Bo.
    ada.destroy();
    await expect(editor(cy).locator(".cm-ySelectionCaret")).toHaveCount(1);
    await expect.poll(() => caretNamesLeftToRight(cy)).toEqual(["Bo"]);
  } finally {
    ada.destroy();
    bo.destroy();
  }
});

test("each person joining takes a colour nobody present wears", async ({ browser, baseURL }) => {
  test.setTimeout(180_000);
  const room = uniqueRoom("colours");
  const pages: Page[] = [];
  // Everyone remembers the same colour for this room and has it in their identity: a clash unless the room decides.
  for (const name of ["Ada", "Bo", "Cy", "Di"]) {
    const context = await rememberingContext(browser, name, room, SAME_COLOR);
    const page = await openRoom(context, baseURL ?? "", room);
    await expect(people(page)).toHaveCount(pages.length + 1);
    await expect.poll(() => roomColor(page, room)).not.toBe(null);
    pages.push(page);
  }
  const colours = await Promise.all(pages.map((page) => roomColor(page, room)));
  expect(new Set(colours).size).toBe(4);

  // Others see the chosen colour on the person's caret.
  const di = pages[3]!;
  await typeInEditor(di, "Di writes");
  const caret = caretOf(pages[0]!, "Di");
  await expect(caret).toHaveCount(1);
  const [r, g, b] = [1, 3, 5].map((at) => Number.parseInt(colours[3]!.slice(at, at + 2), 16));
  await expect(caret).toHaveCSS("background-color", `rgb(${r}, ${g}, ${b})`);
});

test("a caret's name shows while its person types, folds to a flag, and hover shows it again", async ({
  browser,
  baseURL,
}) => {
  const room = uniqueRoom("label-fold");
  const ada = await openRoom(await personContext(browser, "Ada"), baseURL ?? "", room);
  const bo = await openRoom(await personContext(browser, "Bo"), baseURL ?? "", room);
  await typeInEditor(bo, "Bo is typing a line");
  const caret = caretOf(ada, "Bo");
  const label = caret.locator(".cm-ySelectionInfo");
  await expect(caret).toHaveAttribute("data-label", "name");
  await expect(label).toBeVisible();
  await expect(label).toHaveText("Bo");

  // About two seconds after the last keystroke: only a flag.
  await expect(caret).toHaveAttribute("data-label", "flag", { timeout: 6_000 });
  await expect(label).toBeHidden();
  await expect(caret.locator(".cm-ySelectionCaretDot")).toBeVisible();

  await caret.locator(".cm-ySelectionCaretDot").hover();
  await expect(label).toBeVisible();
  await ada.mouse.move(5, 5);
  await expect(label).toBeHidden();

  // Typing again brings the name back.
  await bo.keyboard.type(" more");
  await expect(caret).toHaveAttribute("data-label", "name");
  await expect(label).toBeVisible();
});

test("one name per person: the pointer or the caret, whichever moved last", async ({ browser, baseURL }) => {
  const room = uniqueRoom("one-label");
  const ada = await openRoom(await personContext(browser, "Ada"), baseURL ?? "", room);
  const bo = await openRoom(await personContext(browser, "Bo"), baseURL ?? "", room);
  await typeInEditor(bo, "first line\nBo points at this line");
  await expectDocument(ada, "first line\nBo points at this line");
  const caret = caretOf(ada, "Bo");
  const pointerLabel = pointerOf(ada, "Bo").locator(".remote-pointer-label");

  // The pointer moves after the caret: the pointer has the name, the caret none.
  const target = await editor(bo).getByText("Bo points at").boundingBox();
  if (!target) throw new Error("line not on screen");
  for (let step = 0; step <= 5; step++) await bo.mouse.move(target.x + 20 + step * 8, target.y + 6);
  await expect(pointerLabel).toBeVisible();
  await expect(pointerLabel).toHaveText("Bo");
  await expect(caret).toHaveAttribute("data-label", "flag");
  await expect(caret.locator(".cm-ySelectionInfo")).toBeHidden();

  // Then Bo types: the caret has the name and the pointer none.
  await bo.keyboard.type(" and types");
  await expect(caret).toHaveAttribute("data-label", "name");
  await expect(pointerLabel).toBeHidden();
  await expect(pointerOf(ada, "Bo")).toBeVisible();
});

test("a very long name is shortened and its label stays inside the editor at the right edge", async ({
  browser,
  baseURL,
}) => {
  const room = uniqueRoom("long-name");
  const longName = "Bartholomew Maximilian Featherstonehaugh";
  const adaContext = await personContext(browser, "Ada");
  const ada = await adaContext.newPage();
  await ada.setViewportSize({ width: 900, height: 700 });
  await ada.goto(`${baseURL}/r/${room}`);
  await expect(ada.getByRole("status")).toContainText("Synced", { timeout: 20_000 });
  const words = Array.from({ length: 60 }, (_, i) => `word${i}`).join(" ");
  await typeInEditor(ada, words);
  await expectDocument(ada, words);

  // The character nearest the right edge of the first visual line, on Ada's screen.
  const nearEdge = await editor(ada).evaluate((content) => {
    const text = content.querySelector(".cm-line")?.firstChild;
    if (!text || text.nodeType !== Node.TEXT_NODE) throw new Error("no plain text line");
    const range = document.createRange();
    let best = 0;
    let bestRight = -Infinity;
    let top: number | undefined;
    for (let i = 0; i < (text.textContent ?? "").length; i++) {
      range.setStart(text, i);
      range.setEnd(text, i + 1);
      const box = range.getBoundingClientRect();
      top ??= box.top;
      if (Math.abs(box.top - top) > 2) break;
      if (box.right > bestRight) [best, bestRight] = [i, box.right];
    }
    return best;
  });

  const long = stockPerson(room, longName, SAME_COLOR);
  try {
    await expect.poll(() => long.text.toString()).toContain("word59");
    long.caretAt(nearEdge);
    const label = editor(ada).locator(".cm-ySelectionInfo");
    await expect(label).toHaveCount(1);
    await expect(label).toHaveAttribute("title", longName);
    // Shortened: the text is wider than the label shows.
    expect(await label.evaluate((e) => e.scrollWidth > e.clientWidth)).toBe(true);
    const scroller = await ada.locator(".cm-scroller").boundingBox();
    if (!scroller) throw new Error("no editor");
    await expect
      .poll(async () => {
        const box = await label.boundingBox();
        return box ? box.x + box.width <= scroller.x + scroller.width && box.x >= scroller.x : false;
      })
      .toBe(true);
  } finally {
    long.destroy();
  }
});

test("anonymous embed visitors get different friendly names, not 'Guest'", async ({ browser }) => {
  const room = uniqueRoom("guests");
  const ada = await openRoom(await personContext(browser, "Ada"), SHARED_URL, room);
  // Two fresh browsers that have never named themselves; the second one's made-up name is forced to the first's.
  const first = await (await browser.newContext()).newPage();
  await first.goto(`${SHARED_URL}/embed/${room}`);
  await expect(first.getByRole("status")).toContainText("Synced", { timeout: 20_000 });
  await expect(people(ada)).toHaveCount(2);
  const firstName = await first.evaluate(() => localStorage.getItem("edgeroom:guest-name"));
  expect(firstName).toMatch(/^[A-Z][a-z]+ [A-Z][a-z]+$/);

  const secondContext = await browser.newContext();
  await secondContext.addInitScript((name) => localStorage.setItem("edgeroom:guest-name", name), firstName!);
  const second = await secondContext.newPage();
  await second.goto(`${SHARED_URL}/embed/${room}`);
  await expect(second.getByRole("status")).toContainText("Synced", { timeout: 20_000 });
  await expect(people(ada)).toHaveCount(3);
  await expect(people(ada).filter({ hasText: firstName! })).toHaveCount(1);
  await expect(people(ada).filter({ hasText: "Guest" })).toHaveCount(0);
});
