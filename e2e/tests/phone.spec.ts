/**
 * The room on a phone, portrait (390×844) and landscape (844×390): a one-row
 * header, chat as a sheet over the document with its composer in view, and
 * header faces that never cover each other's initials.
 */
import type { Browser, Locator, Page } from "@playwright/test";
import { expect, test } from "../support/test.ts";
import type { HeadlessClient } from "@edgeroom/testkit";
import { openClient, roomSocketUrl } from "@edgeroom/testkit/node";
import { expectSynced, uniqueRoom } from "../support/room.ts";
import { SHARED_URL } from "../support/shared-server.ts";

const PORTRAIT = { width: 390, height: 844 };
const LANDSCAPE = { width: 844, height: 390 };
const OTHERS = ["Grace Hopper", "Bo Li", "Cy Young", "Dee Dee", "Eve Ng"];

interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
}

async function boxOf(locator: Locator): Promise<Box> {
  const box = await locator.boundingBox();
  if (!box) throw new Error("not on screen");
  return box;
}

function overlaps(a: Box, b: Box): boolean {
  return a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;
}

function inside(inner: Box, outer: Box): boolean {
  return (
    inner.x >= outer.x - 0.5 &&
    inner.y >= outer.y - 0.5 &&
    inner.x + inner.width <= outer.x + outer.width + 0.5 &&
    inner.y + inner.height <= outer.y + outer.height + 0.5
  );
}

/** Others in the room as Node clients announcing themselves in presence (quicker than a browser each). */
async function fillRoom(room: string, names: readonly string[]): Promise<HeadlessClient[]> {
  return Promise.all(
    names.map(async (name, i) => {
      const client = await openClient(roomSocketUrl(SHARED_URL, room), { user: { name, color: "#555555" } });
      client.setAwareness(9100 + i, 1, {
        user: { name, color: "#1971c2", id: `phone-person-${i}` },
        status: "active",
      });
      return client;
    }),
  );
}

async function openOnPhone(
  browser: Browser,
  baseURL: string,
  room: string,
  viewport: { width: number; height: number },
): Promise<Page> {
  const context = await browser.newContext({ viewport, hasTouch: true });
  await context.addInitScript(() =>
    localStorage.setItem("edgeroom:user", JSON.stringify({ name: "Ada Lovelace", color: "#c2255c" })),
  );
  const page = await context.newPage();
  await page.goto(`${baseURL}/r/${room}`);
  await expectSynced(page);
  return page;
}

for (const [orientation, viewport] of [
  ["portrait", PORTRAIT],
  ["landscape", LANDSCAPE],
] as const) {
  test(`${orientation}: the header is one row, with every action reachable by name`, async ({
    browser,
    baseURL,
  }) => {
    const room = uniqueRoom(`phone-header-${orientation}`);
    const others = await fillRoom(room, OTHERS);
    try {
      const page = await openOnPhone(browser, baseURL ?? "", room, viewport);
      const header = page.getByRole("banner");
      await expect(header.getByRole("img", { name: /^6 people here/ })).toBeVisible();
      const bar = await boxOf(header);
      expect(bar.height).toBeLessThanOrEqual(60);
      expect(bar.width).toBeLessThanOrEqual(viewport.width);
      // Nothing spills sideways or wraps below the row: every visible piece sits inside the bar, side by side.
      expect(await header.evaluate((el) => el.scrollWidth <= el.clientWidth)).toBe(true);
      const pieces = [
        header.getByRole("link", { name: "Edgeroom home" }),
        header.locator(".room-name"),
        header.getByRole("img", { name: /people here/ }),
        header.getByRole("status"),
        header.getByRole("button", { name: "History" }),
        header.getByRole("button", { name: "Share" }),
        header.getByRole("button", { name: /^Switch to (dark|light) theme$/ }),
      ];
      for (const piece of pieces) {
        await expect(piece).toBeVisible();
        const box = await boxOf(piece);
        expect(inside(box, bar)).toBe(true);
        expect(Math.abs(box.y + box.height / 2 - (bar.y + bar.height / 2))).toBeLessThan(6);
      }
      // The status is a coloured dot on a phone, but still says what it means.
      await expect(header.getByRole("status")).toHaveText("Synced");
      // Icon buttons keep working from the keyboard.
      await header.getByRole("button", { name: "History" }).focus();
      await page.keyboard.press("Enter");
      await expect(page.getByRole("dialog", { name: "Version history" })).toBeVisible();
    } finally {
      for (const client of others) client.socket.close();
    }
  });

  test(`${orientation}: header faces never cover each other's initials, and the rest show as +N`, async ({
    browser,
    baseURL,
  }) => {
    const room = uniqueRoom(`phone-avatars-${orientation}`);
    const others = await fillRoom(room, OTHERS);
    try {
      const page = await openOnPhone(browser, baseURL ?? "", room, viewport);
      const stack = page.getByRole("img", { name: /^6 people here/ });
      await expect(stack).toBeVisible();
      const faces = stack.locator(".avatar");
      const more = stack.locator(".avatar-more");
      await expect(more).toHaveText(/^\+\d+$/);
      const shown = (await faces.count()) - 1;
      expect(shown).toBeGreaterThanOrEqual(2);
      await expect(more).toHaveText(`+${6 - shown}`);
      const boxes = await Promise.all((await faces.all()).map(boxOf));
      for (let i = 0; i < boxes.length; i++) {
        for (let j = i + 1; j < boxes.length; j++) {
          expect(overlaps(boxes[i] as Box, boxes[j] as Box), `face ${i} overlaps face ${j}`).toBe(false);
        }
      }
      // Every shown face carries visible initials.
      for (const face of (await faces.all()).slice(0, shown)) await expect(face).toHaveText(/^[A-Z]{1,2}$/);
    } finally {
      for (const client of others) client.socket.close();
    }
  });

  test(`${orientation}: chat opens as a sheet over the document with its composer in view`, async ({
    browser,
    baseURL,
  }) => {
    const room = uniqueRoom(`phone-chat-${orientation}`);
    const page = await openOnPhone(browser, baseURL ?? "", room, viewport);
    const toggle = page.getByRole("button", { name: /^Chat/ });
    await expect(toggle).toBeInViewport();
    await expect(page.getByRole("log", { name: "Chat" })).toHaveCount(0);
    await toggle.click();

    const panel = page.getByRole("region", { name: "Chat" });
    await expect(panel).toBeVisible();
    const composer = page.getByRole("textbox", { name: "Message" });
    // The sheet starts in the message box and lies over the document, not below it.
    await expect(composer).toBeFocused();
    const sheet = await boxOf(panel);
    expect(overlaps(sheet, await boxOf(page.getByRole("region", { name: "Document editor" })))).toBe(true);
    const topmost = await page.evaluate(
      ([x, y]) => document.elementFromPoint(x as number, y as number)?.closest("#chat-panel") !== null,
      [sheet.x + sheet.width / 2, sheet.y + sheet.height / 2],
    );
    expect(topmost).toBe(true);

    // The composer and its Send button are inside the viewport and inside the panel.
    const screen = { x: 0, y: 0, ...viewport };
    const send = panel.getByRole("button", { name: "Send" });
    for (const part of [composer, send]) {
      const box = await boxOf(part);
      expect(inside(box, screen)).toBe(true);
      expect(inside(box, sheet)).toBe(true);
    }
    expect(inside(sheet, screen)).toBe(true);

    await composer.fill("hello from a phone");
    await send.click();
    await expect(panel.locator(".message-text")).toHaveText(["hello from a phone"]);
    await expect(panel).not.toContainText("sending…");
    // Still in view after a message arrived.
    expect(inside(await boxOf(composer), screen)).toBe(true);

    await page.keyboard.press("Escape");
    await expect(panel).toHaveCount(0);
    await expect(toggle).toBeFocused();
    await toggle.click();
    await expect(panel).toBeVisible();
    await panel.getByRole("button", { name: "Close chat" }).click();
    await expect(panel).toHaveCount(0);
  });
}
