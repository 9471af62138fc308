import type { Page } from "@playwright/test";
import { expect, test } from "../support/test.ts";
import { openClient, roomSocketUrl } from "@edgeroom/testkit/node";
import { expectSynced, openRoom, personContext, uniqueRoom } from "../support/room.ts";
import { SHARED_URL } from "../support/shared-server.ts";

function chatLog(page: Page) {
  return page.getByRole("log", { name: "Chat" });
}

function chatMessages(page: Page) {
  return chatLog(page).locator(".message-text");
}

async function say(page: Page, text: string): Promise<void> {
  await page.getByRole("textbox", { name: "Message" }).fill(text);
  await page.getByRole("textbox", { name: "Message" }).press("Enter");
}

test("a message reaches the other person exactly once, with its author", async ({ browser, baseURL }) => {
  const room = uniqueRoom("chat-once");
  const ada = await openRoom(await personContext(browser, "Ada", "#c2255c"), baseURL ?? "", room);
  const bo = await openRoom(await personContext(browser, "Bo", "#1971c2"), baseURL ?? "", room);
  await say(ada, "Hello Bo");
  await expect(chatMessages(bo)).toHaveText(["Hello Bo"]);
  await expect(chatLog(bo).locator(".message-author")).toHaveText(["Ada"]);
  await expect(chatMessages(ada)).toHaveText(["Hello Bo"]);
  await expect(chatLog(ada)).not.toContainText("sending…");
});

test("messages written offline wait in the outbox and arrive once, in order, after reconnecting", async ({
  browser,
  baseURL,
}) => {
  const room = uniqueRoom("chat-offline");
  const ada = await openRoom(await personContext(browser, "Ada"), baseURL ?? "", room);
  const boContext = await personContext(browser, "Bo");
  const bo = await openRoom(boContext, baseURL ?? "", room);

  await boContext.setOffline(true);
  await expect(bo.getByRole("status")).toContainText("Offline");
  await say(bo, "first while offline");
  await say(bo, "second while offline");
  await expect(chatLog(bo).getByText("sending…")).toHaveCount(2);
  await expect(chatMessages(ada)).toHaveCount(0);

  await boContext.setOffline(false);
  await expectSynced(bo);
  await expect(chatMessages(ada)).toHaveText(["first while offline", "second while offline"]);
  await expect(chatLog(bo).getByText("sending…")).toHaveCount(0);
  await expect(chatMessages(bo)).toHaveText(["first while offline", "second while offline"]);
  // Still exactly once after things settle.
  await ada.waitForTimeout(500);
  await expect(chatMessages(ada)).toHaveCount(2);
});

test("history reaches a late joiner and survives a reload", async ({ browser, baseURL }) => {
  const room = uniqueRoom("chat-history");
  const ada = await openRoom(await personContext(browser, "Ada"), baseURL ?? "", room);
  await say(ada, "one");
  await say(ada, "two");
  await expect(chatMessages(ada)).toHaveText(["one", "two"]);
  const late = await openRoom(await personContext(browser, "Cy"), baseURL ?? "", room);
  await expect(chatMessages(late)).toHaveText(["one", "two"]);
  await ada.reload();
  await expectSynced(ada);
  await expect(chatMessages(ada)).toHaveText(["one", "two"]);
});

test("the latest 50 messages load on join and earlier ones on request", async ({ browser, baseURL }) => {
  const room = uniqueRoom("chat-paging");
  await sendFromNode(room, 55);
  const page = await openRoom(await personContext(browser, "Ada"), baseURL ?? "", room);
  await expect(chatMessages(page)).toHaveCount(50);
  await expect(chatMessages(page).first()).toHaveText("message 6");
  await page.getByRole("button", { name: "Load earlier messages" }).click();
  await expect(chatMessages(page)).toHaveCount(55);
  await expect(chatMessages(page).first()).toHaveText("message 1");
  await expect(page.getByRole("button", { name: "Load earlier messages" })).toHaveCount(0);
});

test("a typing indicator shows while someone types and goes when they stop or close the tab", async ({
  browser,
  baseURL,
}) => {
  const room = uniqueRoom("chat-typing");
  const adaContext = await personContext(browser, "Ada");
  const ada = await openRoom(adaContext, baseURL ?? "", room);
  const bo = await openRoom(await personContext(browser, "Bo"), baseURL ?? "", room);
  const typing = bo.locator(".typing");

  await ada.getByRole("textbox", { name: "Message" }).pressSequentially("hel", { delay: 50 });
  await expect(typing).toHaveText("Ada is typing…");
  // Leaving the box ends the lease at once: well before the 5 s time-to-live would.
  await ada.getByRole("textbox", { name: "Document" }).click();
  await expect(typing).toHaveText("", { timeout: 3_000 });

  await ada.getByRole("textbox", { name: "Message" }).pressSequentially("lo again", { delay: 50 });
  await expect(typing).toHaveText("Ada is typing…");
  await ada.close();
  await expect(typing).toHaveText("", { timeout: 3_000 });
});

test("message text is shown as text, never as HTML, and links are safe", async ({ browser, baseURL }) => {
  const room = uniqueRoom("chat-xss");
  const ada = await openRoom(await personContext(browser, "Ada"), baseURL ?? "", room);
  const bo = await openRoom(await personContext(browser, "Bo"), baseURL ?? "", room);
  let dialogs = 0;
  bo.on("dialog", (dialog) => {
    dialogs++;
    void dialog.dismiss();
  });
  await say(ada, "<img src=x onerror=alert(1)> see https://example.com/docs");
  await expect(chatMessages(bo)).toHaveText(["<img src=x onerror=alert(1)> see https://example.com/docs"]);
  await expect(chatLog(bo).locator("img")).toHaveCount(0);
  const link = chatLog(bo).getByRole("link", { name: "https://example.com/docs" });
  await expect(link).toHaveAttribute("rel", "noopener noreferrer");
  await expect(link).toHaveAttribute("target", "_blank");
  expect(dialogs).toBe(0);
});

test("an over-long message is refused in the page and nothing is sent", async ({ browser, baseURL }) => {
  const room = uniqueRoom("chat-long");
  const ada = await openRoom(await personContext(browser, "Ada"), baseURL ?? "", room);
  const box = ada.getByRole("textbox", { name: "Message" });
  await box.fill("x".repeat(2001));
  await expect(box).toHaveAttribute("aria-invalid", "true");
  await expect(ada.getByRole("button", { name: "Send" })).toBeDisabled();
  await box.press("Enter");
  await expect(chatMessages(ada)).toHaveCount(0);
});

test("on a narrow screen the chat folds away and counts unread messages", async ({ browser, baseURL }) => {
  const room = uniqueRoom("chat-narrow");
  const ada = await openRoom(await personContext(browser, "Ada"), baseURL ?? "", room);
  const phone = await browser.newContext({ viewport: { width: 390, height: 760 } });
  await phone.addInitScript(() =>
    localStorage.setItem("edgeroom:user", JSON.stringify({ name: "Bo", color: "#1971c2" })),
  );
  const bo = await openRoom(phone, baseURL ?? "", room);
  const toggle = bo.getByRole("button", { name: /^Chat/ });
  await expect(toggle).toHaveAttribute("aria-expanded", "false");
  await expect(chatLog(bo)).toHaveCount(0);
  await say(ada, "are you there?");
  await say(ada, "ping");
  await expect(toggle).toHaveText("Chat2 unread");
  await toggle.click();
  await expect(chatMessages(bo)).toHaveText(["are you there?", "ping"]);
  await expect(bo.getByRole("button", { name: "Hide chat" })).toHaveAttribute("aria-expanded", "true");
});

/** Fills a room's chat from Node, the way any client of the protocol could. */
async function sendFromNode(room: string, count: number): Promise<void> {
  const client = await openClient(roomSocketUrl(SHARED_URL, room), {
    user: { name: "Script", color: "#555555" },
  });
  for (let i = 1; i <= count; i++) {
    client.sendApp({ type: "chat-send", id: `seed-${room}-${i}`, text: `message ${i}` });
  }
  await client.until(() => client.app.filter((m) => m.type === "chat-ack").length === count, 30_000);
  client.socket.close();
}
