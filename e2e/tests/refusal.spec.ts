/**
 * A refusal looks like one: when the room turns a page away for good (private
 * room without a token, an out-of-date page, a room that stays full), the
 * editor is read-only, the chat cannot send, a banner says why and offers the
 * one action that helps, and the saved indicator says where local changes
 * stay. Real Chromium against the real room; the out-of-date page is an old
 * client simulated by rewriting the protocol version in its hello.
 */
import type { Page } from "@playwright/test";
import { openClient, roomSocketUrl } from "@edgeroom/testkit/node";
import { HEARTBEAT_PING, LIMITS, tokenSubprotocols } from "@edgeroom/shared";
import { expect, test } from "../support/test.ts";
import { secondsFromNow, signRoomToken, type HeadlessClient } from "@edgeroom/testkit";
import { SHARED_URL } from "../support/shared-server.ts";
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

const ROOM_CAPACITY = LIMITS.maxConnectionsPerRoom;

function refusal(page: Page) {
  return page.getByRole("alert");
}

function saveStatus(page: Page) {
  return page.getByTestId("save-status");
}

/** Read-only, for real: typing changes nothing, and the chat composer is disabled. */
async function expectReadOnly(page: Page): Promise<void> {
  await expect(editor(page)).toHaveAttribute("aria-readonly", "true");
  const before = await documentText(page);
  await editor(page).click();
  await page.keyboard.type("typed after the refusal");
  await page.keyboard.press("Enter");
  expect(await documentText(page)).toBe(before);
  await expect(page.getByRole("textbox", { name: "Message" })).toBeDisabled();
  await expect(saveStatus(page)).not.toContainText("not yet saved");
}

/** A stock y-protocols client from Node (no hello), offering `protocols`. */
function stockClient(room: string, protocols?: string[]): Promise<HeadlessClient> {
  return openClient(roomSocketUrl(SHARED_URL, room), { hello: false, ...(protocols ? { protocols } : {}) });
}

async function deviceCopies(page: Page): Promise<string[]> {
  return page.evaluate(async () => (await indexedDB.databases()).map((db) => db.name ?? ""));
}

test("a room that turns private refuses a tokenless page: banner, read-only, and its device copy deleted", async ({
  browser,
  baseURL,
}) => {
  const room = uniqueRoom("refused-private");
  const ada = await openRoom(await personContext(browser, "Ada"), baseURL ?? "", room);
  await typeInEditor(ada, "Written while public.");
  await expect(saveStatus(ada)).toHaveText("All changes saved");
  expect(await deviceCopies(ada)).toContain(`edgeroom:doc:${room}`);

  // A host's first private token makes the room private; Ada has no token, so she is closed (4403).
  const token = await signRoomToken(
    { room, sub: "host-user-0002", name: "Host", color: "#2f9e44", scope: "edit", private: true },
    { expiresAt: secondsFromNow(600) },
  );
  const host = await stockClient(room, tokenSubprotocols(token));
  try {
    await expect(refusal(ada)).toContainText("This room is private");
    await expect(refusal(ada)).toContainText("Sign in through the host");
    await expect(ada.getByRole("status")).toContainText("Disconnected");
    await expectReadOnly(ada);
    await expect.poll(() => deviceCopies(ada)).not.toContain(`edgeroom:doc:${room}`);
  } finally {
    host.socket.close();
  }
});

test("an out-of-date page is read-only, keeps its offline changes on the device, and Reload brings them in", async ({
  browser,
  baseURL,
}) => {
  const room = uniqueRoom("refused-version");
  const adaContext = await personContext(browser, "Ada");
  // Every socket of this page goes through here; once `outOfDate`, its hello names an old protocol version.
  let outOfDate = false;
  await adaContext.routeWebSocket(/\/parties\/room\//, (page) => {
    const server = page.connectToServer();
    page.onMessage((message) =>
      server.send(outOfDate && typeof message === "string" ? message.replace(/"v":\d+/, '"v":0') : message),
    );
  });
  const ada = await openRoom(adaContext, baseURL ?? "", room);
  await typeInEditor(ada, "Before.");
  await expect(saveStatus(ada)).toHaveText("All changes saved");
  await adaContext.setOffline(true);
  await expect(ada.getByRole("status")).toContainText("Offline");
  await typeInEditor(ada, " Offline.");
  await expect(saveStatus(ada)).toHaveText("Saved on this device — will sync when online");

  // Meanwhile the server moved to a new protocol version: this page's hello is now an old one.
  outOfDate = true;
  await adaContext.setOffline(false);
  await expect(refusal(ada)).toContainText("This page is out of date");
  await expect(saveStatus(ada)).toHaveText("Not sent — kept on this device");
  await expectReadOnly(ada);

  outOfDate = false;
  await refusal(ada).getByRole("button", { name: "Reload" }).click();
  await expectSynced(ada);
  await expectDocument(ada, "Before. Offline.");
  await expect(saveStatus(ada)).toHaveText("All changes saved");
  const bo = await openRoom(await personContext(browser, "Bo"), baseURL ?? "", room);
  await expectDocument(bo, "Before. Offline.");
});

test("a full room says so after a few tries, is read-only, and Try again gets in once there is space", async ({
  browser,
  baseURL,
}) => {
  const room = uniqueRoom("refused-full");
  const crowd = await fillRoom(room);
  try {
    const ada = await (await personContext(browser, "Ada")).newPage();
    await ada.goto(`${baseURL ?? ""}/r/${room}`);
    await expect(refusal(ada)).toContainText("This room is full", { timeout: 20_000 });
    await expect(ada.getByRole("status")).not.toContainText("Offline — reconnecting");
    await expectReadOnly(ada);

    crowd.makeRoom(5);
    await refusal(ada).getByRole("button", { name: "Try again" }).click();
    await expectSynced(ada);
    await expect(refusal(ada)).toHaveCount(0);
    await typeInEditor(ada, "In at last.");
    await expect(saveStatus(ada)).toHaveText("All changes saved");
  } finally {
    crowd.leave();
  }
});

test("a page told the room is full gets in by itself once there is space, without Try again", async ({
  browser,
  baseURL,
}) => {
  test.setTimeout(LIMITS.crowdedRetryMs + 90_000);
  const room = uniqueRoom("refused-full-auto");
  const crowd = await fillRoom(room);
  try {
    const ada = await (await personContext(browser, "Ada")).newPage();
    await ada.goto(`${baseURL ?? ""}/r/${room}`);
    await expect(refusal(ada)).toContainText("This room is full", { timeout: 20_000 });
    crowd.makeRoom(5);
    // Nobody presses anything: the page tries again by itself after LIMITS.crowdedRetryMs.
    await expect(ada.getByRole("status")).toContainText("Synced", {
      timeout: LIMITS.crowdedRetryMs + 20_000,
    });
    await expect(refusal(ada)).toHaveCount(0);
  } finally {
    crowd.leave();
  }
});

/** Fills a room with stock clients that stay alive past the room's heartbeat timeout. */
async function fillRoom(room: string) {
  const clients = await Promise.all(Array.from({ length: ROOM_CAPACITY }, () => stockClient(room)));
  const heartbeat = setInterval(() => {
    for (const client of clients) client.sendText(HEARTBEAT_PING);
  }, 5_000);
  return {
    makeRoom: (places: number) => {
      for (const client of clients.splice(0, places)) client.socket.close();
    },
    leave: () => {
      clearInterval(heartbeat);
      for (const client of clients) client.socket.close();
    },
  };
}
