/**
 * The HTTP API against a real browser: what a host's backend writes through
 * `/api/v1` is what a person sees, what a person types is what the backend
 * reads, a bot's chat message shows as a bot's, and a deleted room leaves
 * nothing on the device to sync back.
 */
import type { Page } from "@playwright/test";
import { TEST_API_SECRET } from "@edgeroom/testkit";
import * as Y from "yjs";
import { api, apiDocumentText, apiOk, roomPath } from "../support/api.ts";
import { expect, test } from "../support/test.ts";
import {
  expectDocument,
  expectSynced,
  openRoom,
  personContext,
  typeInEditor,
  uniqueRoom,
} from "../support/room.ts";
import { SHARED_URL } from "../support/shared-server.ts";

function chatLog(page: Page) {
  return page.getByRole("log", { name: "Chat" });
}

function chatMessages(page: Page) {
  return chatLog(page)
    .getByRole("listitem")
    .filter({ has: page.locator(".message-text") });
}

async function say(page: Page, text: string): Promise<void> {
  await page.getByRole("textbox", { name: "Message" }).fill(text);
  await page.getByRole("textbox", { name: "Message" }).press("Enter");
}

async function deviceCopies(page: Page): Promise<string[]> {
  return page.evaluate(async () => (await indexedDB.databases()).map((db) => db.name ?? ""));
}

function saveStatus(page: Page) {
  return page.getByTestId("save-status");
}

test("text written through the API (JSON append and replace, a Yjs update) appears in the browser's editor", async ({
  browser,
}) => {
  const room = uniqueRoom("api-write");
  const ada = await openRoom(await personContext(browser, "Ada"), SHARED_URL, room);

  await apiOk(SHARED_URL, roomPath(room, "/document"), { json: { text: "Hello", mode: "append" } });
  await expectDocument(ada, "Hello");
  await apiOk(SHARED_URL, roomPath(room, "/document"), { json: { text: ", world", mode: "append" } });
  await expectDocument(ada, "Hello, world");
  await apiOk(SHARED_URL, roomPath(room, "/document"), { json: { text: "Goodbye, world", mode: "replace" } });
  await expectDocument(ada, "Goodbye, world");

  // A Yjs update built in Node against the room's state: only the new insert travels.
  const doc = new Y.Doc();
  const state = await fetch(`${SHARED_URL}/api/v1${roomPath(room, "/document?format=yjs")}`, {
    headers: { Authorization: `Bearer ${TEST_API_SECRET}` },
  });
  expect(state.headers.get("content-type")).toContain("application/octet-stream");
  Y.applyUpdate(doc, new Uint8Array(await state.arrayBuffer()));
  const before = Y.encodeStateVector(doc);
  const text = doc.getText("content");
  expect(text.toString()).toBe("Goodbye, world");
  text.insert(text.length, "\nfrom Yjs in Node");
  await apiOk(SHARED_URL, roomPath(room, "/document"), { bytes: Y.encodeStateAsUpdate(doc, before) });
  await expectDocument(ada, "Goodbye, world\nfrom Yjs in Node");

  // Without the secret, or with a wrong one, nothing changes.
  for (const secret of ["", "wrong-secret"]) {
    const refused = await api(SHARED_URL, roomPath(room, "/document"), {
      json: { text: "mallory", mode: "replace" },
      secret,
    });
    expect(refused.status).toBe(401);
  }
  // A bad body is refused as a whole.
  const bad = await api(SHARED_URL, roomPath(room, "/document"), { json: { text: "x", mode: "prepend" } });
  expect(bad.status).toBe(400);
  await ada.waitForTimeout(500);
  await expectDocument(ada, "Goodbye, world\nfrom Yjs in Node");
});

test("what a browser types is what the API reads as text", async ({ browser }) => {
  const room = uniqueRoom("api-read");
  const ada = await openRoom(await personContext(browser, "Ada"), SHARED_URL, room);
  await typeInEditor(ada, "Typed in a browser.");
  await ada.keyboard.press("Enter");
  await ada.keyboard.type("Second line, ünïcödé ✓");
  await expect(saveStatus(ada)).toHaveText("All changes saved");
  expect(await apiDocumentText(SHARED_URL, room)).toBe("Typed in a browser.\nSecond line, ünïcödé ✓");
});

test("a chat message posted by the API shows in the browser's chat once, with a bot badge", async ({
  browser,
}) => {
  const room = uniqueRoom("api-chat");
  const ada = await openRoom(await personContext(browser, "Ada"), SHARED_URL, room);
  await say(ada, "a person's message");
  await expect(chatMessages(ada)).toHaveCount(1);

  const post = {
    id: `deploy-${room}`,
    author: { id: "ci-build-bot", name: "Build bot" },
    text: "Deploy finished",
  };
  const first = await apiOk(SHARED_URL, roomPath(room, "/chat"), { json: post });
  const fromBot = chatMessages(ada).filter({ hasText: "Deploy finished" });
  await expect(fromBot).toHaveCount(1);
  await expect(fromBot.locator(".message-author")).toHaveText("Build bot");
  await expect(fromBot.getByText("bot", { exact: true })).toBeVisible();
  // A person's message carries no badge.
  await expect(
    chatMessages(ada).filter({ hasText: "a person's message" }).getByText("bot", { exact: true }),
  ).toHaveCount(0);

  // The same id again (a retry): stored once, shown once, answered with the original message.
  const again = await apiOk(SHARED_URL, roomPath(room, "/chat"), {
    json: { ...post, text: "Deploy finished (retry)" },
  });
  expect(again.body).toEqual(first.body);
  await ada.waitForTimeout(500);
  await expect(chatMessages(ada)).toHaveCount(2);

  // A late joiner gets it from the history, still marked as a bot's.
  const bo = await openRoom(await personContext(browser, "Bo"), SHARED_URL, room);
  await expect(chatMessages(bo)).toHaveCount(2);
  await expect(
    chatMessages(bo).filter({ hasText: "Deploy finished" }).getByText("bot", { exact: true }),
  ).toBeVisible();
  // And a socket can never pose as one: the API's chat page shows who is a bot.
  const page = (await apiOk(SHARED_URL, roomPath(room, "/chat"))).body as {
    messages: Array<{ text: string; author: { bot?: string } }>;
  };
  expect(page.messages.map((m) => [m.text, m.author.bot])).toEqual([
    ["a person's message", undefined],
    ["Deploy finished", "ci-build-bot"],
  ]);
});

test("DELETE closes the browser's socket, the page says so and drops its copies, and the room starts empty", async ({
  browser,
}) => {
  const room = uniqueRoom("api-delete");
  const ada = await openRoom(await personContext(browser, "Ada"), SHARED_URL, room);
  const bo = await openRoom(await personContext(browser, "Bo"), SHARED_URL, room);
  await typeInEditor(ada, "Soon gone.");
  await say(ada, "also gone");
  await expect(saveStatus(ada)).toHaveText("All changes saved");
  await expectDocument(bo, "Soon gone.");
  await expect(chatMessages(bo)).toHaveCount(1);
  expect(await deviceCopies(ada)).toContain(`edgeroom:doc:${room}`);
  // A message the room refused earlier waits in Ada's outbox (kept on the device to show why).
  await ada.evaluate((id) => {
    const author = { name: "Ada", color: "#1971c2" };
    const item = { id: "refused-1", text: "never sent", author, createdAt: Date.now(), error: "Refused." };
    localStorage.setItem(`edgeroom:outbox:${id}`, JSON.stringify([item]));
  }, room);
  await ada.reload();
  await expectSynced(ada);
  await expect(chatLog(ada)).toContainText("never sent");
  const kept = (id: string) => Object.keys(localStorage).filter((key) => key.includes(id));
  expect(await ada.evaluate(kept, room)).toEqual(
    expect.arrayContaining([`edgeroom:outbox:${room}`, `edgeroom:room-color:${room}`]),
  );

  await apiOk(SHARED_URL, roomPath(room), { method: "DELETE" });
  for (const page of [ada, bo]) {
    await expect(page.getByRole("status")).toContainText("This room was deleted.");
    await expect(page.getByRole("alert")).toContainText("This room was deleted.");
    await expect.poll(() => deviceCopies(page)).not.toContain(`edgeroom:doc:${room}`);
  }
  // Nothing of the room is left in this browser's storage either (chat outbox, colour here).
  expect(await ada.evaluate(kept, room)).toEqual([]);
  // The page stays down: no new socket brings its copy back.
  await ada.waitForTimeout(2_000);
  await expect(ada.getByRole("status")).toContainText("This room was deleted.");
  expect(await apiDocumentText(SHARED_URL, room)).toBe("");

  // "Start again" is a fresh page in the (now empty) room.
  await ada.getByRole("button", { name: "Start again" }).click();
  await expectSynced(ada);
  await expectDocument(ada, "");
  await expect(chatLog(ada)).toContainText("No messages yet");
  await expect(chatLog(ada)).not.toContainText("never sent");
  // Bo reloads too: nothing comes back from either device.
  await bo.reload();
  await expectSynced(bo);
  await expectDocument(bo, "");
  await expect(chatLog(bo)).toContainText("No messages yet");
  expect(await apiDocumentText(SHARED_URL, room)).toBe("");
  const chat = (await apiOk(SHARED_URL, roomPath(room, "/chat"))).body as { messages: unknown[] };
  expect(chat.messages).toEqual([]);
});
