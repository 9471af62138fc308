import type { Page } from "@playwright/test";
import { expect, test } from "../support/test.ts";
import type { HeadlessClient } from "@edgeroom/testkit";
import { openClient, roomSocketUrl } from "@edgeroom/testkit/node";
import { editor, openRoom, people, personContext, typeInEditor, uniqueRoom } from "../support/room.ts";
import { SHARED_URL } from "../support/shared-server.ts";

function pointerOf(page: Page, name: string) {
  return page.locator(`.remote-pointer[data-name="${name}"]`);
}

/** Screen coordinates of the first character of `text` in the editor. */
async function coordsOfText(page: Page, text: string): Promise<{ x: number; y: number }> {
  const box = await editor(page).getByText(text).boundingBox();
  if (!box) throw new Error(`"${text}" is not on screen`);
  return { x: box.x, y: box.y };
}

test("a pointer shows on the other screen, labelled, over the same text", async ({ browser, baseURL }) => {
  const room = uniqueRoom("pointers");
  const ada = await openRoom(await personContext(browser, "Ada", "#c2255c"), baseURL ?? "", room);
  const boContext = await browser.newContext({ viewport: { width: 1000, height: 700 } });
  await boContext.addInitScript(() =>
    localStorage.setItem("edgeroom:user", JSON.stringify({ name: "Bo", color: "#1971c2" })),
  );
  const bo = await openRoom(boContext, baseURL ?? "", room);
  await typeInEditor(ada, "first line\nthe target word is here");
  await expect(editor(bo)).toContainText("the target word");
  await expect(people(ada)).toHaveCount(2);

  const target = await coordsOfText(ada, "the target word is here");
  // Move in steps, as a hand would, ending 30 px into the line.
  for (let step = 0; step <= 5; step++) await ada.mouse.move(target.x + step * 6, target.y + 6);
  const pointer = pointerOf(bo, "Ada");
  await expect(pointer).toBeVisible();
  await expect(pointer).toContainText("Ada");

  const expected = await coordsOfText(bo, "the target word is here");
  await expect
    .poll(async () => {
      const box = await pointer.boundingBox();
      return box ? Math.hypot(box.x - (expected.x + 30), box.y - (expected.y + 6)) : Infinity;
    })
    .toBeLessThan(8);
  // Bo never sees his own pointer.
  await bo.mouse.move(expected.x, expected.y);
  await expect(pointerOf(bo, "Bo")).toHaveCount(0);
});

test("closing a tab removes the person from everyone's list within a second", async ({
  browser,
  baseURL,
}) => {
  const room = uniqueRoom("leave");
  const ada = await openRoom(await personContext(browser, "Ada"), baseURL ?? "", room);
  const bo = await openRoom(await personContext(browser, "Bo"), baseURL ?? "", room);
  await expect(people(bo)).toHaveCount(2);
  await ada.close();
  await expect(people(bo)).toHaveCount(1, { timeout: 1_000 });
  await expect(people(bo)).toContainText(["Bo"]);
});

test("going offline removes the person from the others' list", async ({ browser, baseURL }) => {
  const room = uniqueRoom("offline");
  const adaContext = await personContext(browser, "Ada");
  await openRoom(adaContext, baseURL ?? "", room);
  const bo = await openRoom(await personContext(browser, "Bo"), baseURL ?? "", room);
  await expect(people(bo)).toHaveCount(2);
  await adaContext.setOffline(true);
  await expect(people(bo)).toHaveCount(1, { timeout: 30_000 });
});

test("a client that goes silent without closing is removed within 30 seconds", async ({
  browser,
  baseURL,
}) => {
  test.setTimeout(90_000);
  const room = uniqueRoom("silent");
  const bo = await openRoom(await personContext(browser, "Bo"), baseURL ?? "", room);
  // A client that joins, shows up, and then freezes: no heartbeats, no close frame (like a killed process
  // behind a live NAT, or a laptop lid shut mid-session).
  const frozen = await joinAndFreeze(room, "Frozen Fred");
  try {
    await expect(people(bo).filter({ hasText: "Frozen Fred" })).toHaveCount(1);
    const seen = Date.now();
    await expect(people(bo).filter({ hasText: "Frozen Fred" })).toHaveCount(0, { timeout: 30_000 });
    expect(Date.now() - seen).toBeLessThan(30_000);
  } finally {
    frozen.socket.terminate?.();
  }
});

test("two tabs of one person show as one entry", async ({ browser, baseURL }) => {
  const room = uniqueRoom("tabs");
  const adaContext = await personContext(browser, "Ada");
  await openRoom(adaContext, baseURL ?? "", room);
  await openRoom(adaContext, baseURL ?? "", room);
  const bo = await openRoom(await personContext(browser, "Bo"), baseURL ?? "", room);
  await expect(people(bo)).toHaveCount(2);
  await expect(people(bo).filter({ hasText: "Ada" })).toHaveCount(1);
  await expect(bo.getByRole("img", { name: /^2 people here/ })).toBeVisible();
});

/** Joins a room with a presence state, then never speaks again (no heartbeats, no close). */
async function joinAndFreeze(room: string, name: string): Promise<HeadlessClient> {
  const client = await openClient(roomSocketUrl(SHARED_URL, room), { user: { name, color: "#555555" } });
  client.setAwareness(4242, 1, { user: { name, color: "#555555", id: "frozen-person-1" }, status: "active" });
  return client;
}

test("presence shows who is away (tab hidden) and who is idle (no input for a minute)", async ({
  browser,
  baseURL,
}) => {
  const room = uniqueRoom("status");
  const adaContext = await personContext(browser, "Ada");
  const adaPage = await adaContext.newPage();
  await adaPage.clock.install();
  await adaPage.goto(`${baseURL}/r/${room}`);
  await expect(adaPage.getByRole("status")).toContainText("Synced");
  const bo = await openRoom(await personContext(browser, "Bo"), baseURL ?? "", room);
  const adaSeenByBo = people(bo).filter({ hasText: "Ada" });
  await expect(adaSeenByBo).toContainText("active");

  await adaPage.clock.fastForward(61_000);
  await expect(adaSeenByBo).toContainText("idle");
  await adaPage.mouse.move(200, 200);
  await expect(adaSeenByBo).toContainText("active");

  await adaPage.evaluate(() => {
    Object.defineProperty(document, "visibilityState", { value: "hidden", configurable: true });
    document.dispatchEvent(new Event("visibilitychange"));
  });
  await expect(adaSeenByBo).toContainText("away");
});

test("pointer updates go out about once a second alone, about 30 a second with company, none when still", async ({
  browser,
  baseURL,
}) => {
  const room = uniqueRoom("rate");
  const adaContext = await personContext(browser, "Ada");
  const ada = await adaContext.newPage();
  const sentAt: number[] = [];
  ada.on("websocket", (socket) =>
    socket.on("framesent", ({ payload }) => {
      if (typeof payload === "string" && payload.startsWith('{"type":"pointer"')) sentAt.push(Date.now());
    }),
  );
  await ada.goto(`${baseURL}/r/${room}`);
  await expect(ada.getByRole("status")).toContainText("Synced");
  await typeInEditor(ada, "some text to point at");
  const box = await editor(ada).boundingBox();
  if (!box) throw new Error("no editor");

  /** Moves the mouse continuously for `ms` and returns how many pointer frames went out meanwhile. */
  async function sweep(ms: number): Promise<number> {
    const before = sentAt.length;
    const start = Date.now();
    for (let i = 0; Date.now() - start < ms; i++) {
      await ada.mouse.move(box!.x + 40 + (i % 200), box!.y + 20 + (i % 3));
      await ada.waitForTimeout(10);
    }
    return sentAt.length - before;
  }

  const alone = await sweep(2_000);
  expect(alone).toBeGreaterThanOrEqual(1);
  expect(alone).toBeLessThanOrEqual(3);

  await openRoom(await personContext(browser, "Bo"), baseURL ?? "", room);
  await expect(people(ada)).toHaveCount(2);
  const together = await sweep(2_000);
  // About 60 at full speed; a loaded machine moves the mouse less often, so only ask for far more than alone.
  expect(together).toBeGreaterThanOrEqual(10);
  expect(together).toBeLessThanOrEqual(70);

  const beforeStill = sentAt.length;
  await ada.waitForTimeout(1_500);
  // At most the one trailing update already scheduled when the hand stopped.
  expect(sentAt.length - beforeStill).toBeLessThanOrEqual(1);
});
