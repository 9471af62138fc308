import type { FrameLocator, Page } from "@playwright/test";
import { expect, test } from "../support/test.ts";
import { startHostPage, type HostPage } from "../support/host-page.ts";
import { expectSynced, openRoom, people, personContext, uniqueRoom } from "../support/room.ts";
import { secondsFromNow, signRoomToken } from "@edgeroom/testkit";
import { EMBED_HOST_ORIGIN, FOREIGN_HOST_ORIGIN, SHARED_URL } from "../support/shared-server.ts";

let host: HostPage;
let foreign: HostPage;

test.beforeAll(async () => {
  host = await startHostPage(EMBED_HOST_ORIGIN);
  foreign = await startHostPage(FOREIGN_HOST_ORIGIN);
});

test.afterAll(async () => {
  await host.close();
  await foreign.close();
});

function hostEvents(page: Page) {
  return page.getByRole("list", { name: "Events from the embed" }).getByRole("listitem");
}

function embedText(frame: FrameLocator): Promise<string> {
  return frame
    .getByRole("textbox", { name: "Document" })
    .evaluate((content) =>
      [...content.querySelectorAll(".cm-line")].map((line) => line.textContent).join("\n"),
    );
}

test("an allowed host embeds the room: typing goes both ways, the host names the person and hears the room", async ({
  browser,
}) => {
  const room = uniqueRoom("embed");
  const ada = await openRoom(await personContext(browser, "Ada"), SHARED_URL, room);

  const hostPage = await (await browser.newContext()).newPage();
  await hostPage.goto(`${host.origin}/?embed=${encodeURIComponent(`/embed/${room}?name=Visitor`)}`);
  const embed = hostPage.frameLocator("iframe[title='Embedded room']");
  await expect(embed.getByRole("status")).toContainText("Synced", { timeout: 20_000 });
  await expect(hostEvents(hostPage).filter({ hasText: '"type":"ready"' })).toHaveCount(1);

  await embed.getByRole("textbox", { name: "Document" }).click();
  await hostPage.keyboard.type("from the embed");
  await expect
    .poll(() => ada.getByRole("textbox", { name: "Document" }).textContent())
    .toContain("from the embed");
  await ada.getByRole("textbox", { name: "Document" }).click();
  await ada.keyboard.press("Control+End");
  await ada.keyboard.type(" and back");
  await expect.poll(() => embedText(embed)).toContain("from the embed and back");

  // The name comes from the host page over postMessage and reaches everyone.
  await expect(people(ada).filter({ hasText: "Visitor" })).toHaveCount(1);
  await hostPage.evaluate(() =>
    (window as unknown as { hostSend(c: object): void }).hostSend({
      type: "set-user",
      name: "Grace from Host",
    }),
  );
  await expect(people(ada).filter({ hasText: "Grace from Host" })).toHaveCount(1);
  await expect(people(ada).filter({ hasText: "Visitor" })).toHaveCount(0);

  // The host hears presence changes and new chat messages.
  await expect(hostEvents(hostPage).filter({ hasText: '"name":"Ada"' }).first()).toBeAttached();
  await ada.getByRole("textbox", { name: "Message" }).fill("hello host");
  await ada.keyboard.press("Enter");
  await expect(hostEvents(hostPage).filter({ hasText: '"type":"chat-message"' })).toContainText("hello host");
});

test("a host that is not allowed cannot frame the page, and cannot talk to an embed it opens", async ({
  browser,
}) => {
  const room = uniqueRoom("embed-foreign");
  const context = await browser.newContext();
  const framing = await context.newPage();
  await framing.goto(`${foreign.origin}/?embed=${encodeURIComponent(`/embed/${room}`)}`);
  // The frame loads, but the browser refuses to render it (frame-ancestors), so it is blank.
  await expect(hostEvents(framing).filter({ hasText: "frame-loaded" })).toHaveCount(1);
  const blocked = framing.frames().find((f) => f !== framing.mainFrame());
  expect(blocked?.url()).not.toContain("/embed/");
  await expect(framing.frameLocator("iframe").getByRole("textbox", { name: "Document" })).toHaveCount(0);
  await expect(hostEvents(framing).filter({ hasText: '"type":"ready"' })).toHaveCount(0);

  // Opened as a window (no framing to block), the embed still ignores the foreign page's commands.
  const opener = await context.newPage();
  const popupOpened = context.waitForEvent("page");
  await opener.goto(`${foreign.origin}/?popup=${encodeURIComponent(`/embed/${room}?name=Popup`)}`);
  const popup = await popupOpened;
  const ignored = popup.waitForEvent("console", (m) =>
    m.text().includes(`ignored a message from ${foreign.origin}`),
  );
  await expectSynced(popup);
  await opener.evaluate(() =>
    (window as unknown as { hostSend(c: object): void }).hostSend({ type: "set-user", name: "Mallory" }),
  );
  await ignored;
  await expect(popup.getByRole("img", { name: /Popup \(you\)/ })).toBeVisible();
  await expect(popup.getByRole("img", { name: /Mallory/ })).toHaveCount(0);
});

test("a host signs its user in with a room token, sent to the embed over postMessage", async ({
  browser,
}) => {
  const room = uniqueRoom("embed-token");
  const ada = await openRoom(await personContext(browser, "Ada"), SHARED_URL, room);
  const hostPage = await (await browser.newContext()).newPage();
  const query = new URLSearchParams({ room, "token-name": "Tess Token", embed: `/embed/${room}?auth=token` });
  await hostPage.goto(`${host.origin}/?${query.toString()}`);
  const embed = hostPage.frameLocator("iframe[title='Embedded room']");
  await expect(embed.getByRole("status")).toContainText("Synced", { timeout: 20_000 });
  // The name is the token's: the embed chose none, and nothing it says can change it.
  await expect(people(ada).filter({ hasText: "Tess Token" })).toHaveCount(1);
  await hostPage.evaluate(() =>
    (window as unknown as { hostSend(c: object): void }).hostSend({ type: "set-user", name: "Not Tess" }),
  );
  await embed.getByRole("button", { name: "Chat" }).click();
  await embed.getByRole("textbox", { name: "Message" }).fill("signed in");
  await hostPage.keyboard.press("Enter");
  await expect(ada.getByRole("log", { name: "Chat" })).toContainText("signed in");
  await expect(ada.getByRole("log", { name: "Chat" })).toContainText("Tess Token");
  await expect(people(ada).filter({ hasText: "Not Tess" })).toHaveCount(0);
});

test("a token that expires ends the socket; the host's fresh token brings it back with everything typed meanwhile", async ({
  browser,
}) => {
  test.setTimeout(90_000);
  const room = uniqueRoom("embed-expiry");
  const ada = await openRoom(await personContext(browser, "Ada"), SHARED_URL, room);
  const hostPage = await (await browser.newContext()).newPage();
  const query = new URLSearchParams({
    room,
    "token-name": "Tess Token",
    // The first token lives 12 s; the host answers a request for another only when told below.
    "token-ttl": "12",
    renew: "manual",
    embed: `/embed/${room}?auth=token`,
  });
  await hostPage.goto(`${host.origin}/?${query.toString()}`);
  const embed = hostPage.frameLocator("iframe[title='Embedded room']");
  await expect(embed.getByRole("status")).toContainText("Synced", { timeout: 20_000 });
  await embed.getByRole("textbox", { name: "Document" }).click();
  await hostPage.keyboard.type("before expiry.");
  await expect
    .poll(() => ada.getByRole("textbox", { name: "Document" }).textContent())
    .toContain("before expiry.");

  // At exp the room closes the socket (4402) and the embed asks its host for a new token.
  const expired = hostEvents(hostPage).filter({ hasText: '"reason":"expired"' });
  await expect(expired).toHaveCount(1, { timeout: 20_000 });
  await expect(embed.getByRole("status")).toContainText("Disconnected");
  await hostPage.keyboard.type(" typed in the gap.");
  // Typed while no socket was open: for now it exists only in the embed.
  await expect(embed.getByRole("status")).toContainText("Disconnected");
  expect(await ada.getByRole("textbox", { name: "Document" }).textContent()).not.toContain("gap");
  await hostPage.evaluate(() => (window as unknown as { renewToken(): void }).renewToken());
  await expect(hostEvents(hostPage).filter({ hasText: '"type":"host-sent-token","ttl":600' })).toHaveCount(
    1,
    {
      timeout: 10_000,
    },
  );
  await expect(embed.getByRole("status")).toContainText("Synced", { timeout: 20_000 });
  await hostPage.keyboard.type(" after.");
  await expect
    .poll(() => ada.getByRole("textbox", { name: "Document" }).textContent(), { timeout: 15_000 })
    .toContain("before expiry. typed in the gap. after.");
  await expect(people(ada).filter({ hasText: "Tess Token" })).toHaveCount(1);
});

test("a host that signs one person out and another in leaves nothing of the first on the device or in the room", async ({
  browser,
}) => {
  const room = uniqueRoom("embed-signout");
  const ada = await openRoom(await personContext(browser, "Ada"), SHARED_URL, room);
  const hostContext = await browser.newContext();
  const hostPage = await hostContext.newPage();
  const query = new URLSearchParams({ room, "token-name": "Tess Token", embed: `/embed/${room}?auth=token` });
  await hostPage.goto(`${host.origin}/?${query.toString()}`);
  const embed = hostPage.frameLocator("iframe[title='Embedded room']");
  await expect(embed.getByRole("status")).toContainText("Synced", { timeout: 20_000 });
  await embed.getByRole("textbox", { name: "Document" }).click();
  await hostPage.keyboard.type("Shared.");
  await expect.poll(() => ada.getByRole("textbox", { name: "Document" }).textContent()).toContain("Shared.");

  // Tess writes offline (kept on this device), then the host signs her out and Otto in.
  await hostContext.setOffline(true);
  await expect(embed.getByRole("status")).toContainText("Offline");
  await hostPage.keyboard.type(" Tess's private note.");
  const otto = await signRoomToken(
    { room, sub: "host-user-0009", name: "Otto", color: "#1971c2", scope: "edit" },
    { expiresAt: secondsFromNow(600) },
  );
  await hostPage.evaluate(
    (token) => (window as unknown as { hostSend(c: object): void }).hostSend({ type: "set-token", token }),
    otto,
  );
  await hostContext.setOffline(false);
  await expect(embed.getByRole("status")).toContainText("Synced", { timeout: 20_000 });
  await expect(people(ada).filter({ hasText: "Otto" })).toHaveCount(1);
  await expect.poll(() => embedText(embed)).toBe("Shared.");
  await ada.waitForTimeout(500);
  expect(await ada.getByRole("textbox", { name: "Document" }).textContent()).not.toContain("private note");
});

test("a token the room refuses makes the embed read-only, says to sign in through the host, and changes nothing", async ({
  browser,
}) => {
  const room = uniqueRoom("embed-refused");
  const ada = await openRoom(await personContext(browser, "Ada"), SHARED_URL, room);
  const hostPage = await (await browser.newContext()).newPage();
  // The host answers the refusal's `token-needed` only when told (it is not, here).
  const query = new URLSearchParams({
    room,
    "token-name": "Tess Token",
    renew: "manual",
    embed: `/embed/${room}?auth=token`,
  });
  await hostPage.goto(`${host.origin}/?${query.toString()}`);
  const embed = hostPage.frameLocator("iframe[title='Embedded room']");
  await expect(embed.getByRole("status")).toContainText("Synced", { timeout: 20_000 });

  // A token signed with another secret: the Worker refuses it (4401).
  const forged = await signRoomToken(
    { room, sub: "host-user-0003", name: "Mallory", color: "#1971c2", scope: "edit" },
    { expiresAt: secondsFromNow(600), secret: "not-the-e2e-secret-but-long-enough-1234" },
  );
  await hostPage.evaluate(
    (token) => (window as unknown as { hostSend(c: object): void }).hostSend({ type: "set-token", token }),
    forged,
  );
  const alert = embed.getByRole("alert");
  await expect(alert).toContainText("Your invitation to this room is not valid.");
  await expect(alert).toContainText("Sign in through the host");
  const documentBox = embed.getByRole("textbox", { name: "Document" });
  await expect(documentBox).toHaveAttribute("aria-readonly", "true");
  const before = await embedText(embed);
  await documentBox.click();
  await hostPage.keyboard.type("typed after the refusal");
  expect(await embedText(embed)).toBe(before);
  await ada.waitForTimeout(300);
  expect(await ada.getByRole("textbox", { name: "Document" }).textContent()).not.toContain("refusal");
});

test("the share dialog builds the snippet from the options and previews it", async ({ browser }) => {
  const room = uniqueRoom("share");
  const ada = await openRoom(await personContext(browser, "Ada"), SHARED_URL, room);
  await ada.getByRole("button", { name: "Share" }).click();
  const dialog = ada.getByRole("dialog", { name: "Share this room" });
  await expect(dialog.getByRole("textbox", { name: "Link" })).toHaveValue(`${SHARED_URL}/r/${room}`);
  await dialog.getByRole("radio", { name: "View only" }).check();
  await dialog.getByRole("checkbox", { name: "Show chat" }).uncheck();
  await dialog.getByRole("combobox", { name: "Theme" }).selectOption("dark");
  const url = `${SHARED_URL}/embed/${room}?mode=view&amp;chat=0&amp;theme=dark`;
  await expect(dialog.getByRole("textbox", { name: "Embed code" })).toHaveValue(
    new RegExp(`src="${url.replace(/[?.]/g, "\\$&")}"`),
  );
  // The preview is a still of the embed drawn in the page (share.spec.ts covers it), not a live frame.
  const preview = dialog.getByRole("img", { name: /^Preview/ });
  await expect(preview.getByText("View only")).toBeVisible();
  await expect(preview.getByText("Chat")).toHaveCount(0);
  await dialog.getByRole("button", { name: "Close" }).click();
  await expect(dialog).toBeHidden();
});
