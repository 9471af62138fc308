/**
 * Private rooms at their own link: with `ROOM_TOKEN_ENDPOINT` set, the
 * `/r/<id>` page asks the site's endpoint for a room token with the visitor's
 * cookies, gets in with it, and renews it before it expires, so a session
 * outlives any one token and nothing typed is lost.
 */
import type { Browser, BrowserContext } from "@playwright/test";
import { expect, test } from "../support/test.ts";
import { freshStateDir, startServer, type RunningServer } from "../support/server.ts";
import { SHARED_PORT } from "../support/shared-server.ts";
import { startTokenEndpoint, type TokenEndpoint } from "../support/token-endpoint.ts";
import {
  expectDocument,
  expectSynced,
  openRoom,
  people,
  personContext,
  typeInEditor,
  uniqueRoom,
} from "../support/room.ts";

const SERVER_PORT = SHARED_PORT + 22;
const ENDPOINT_PORT = SHARED_PORT + 21;

let server: RunningServer;
let endpoint: TokenEndpoint;

test.beforeAll(async () => {
  endpoint = await startTokenEndpoint(ENDPOINT_PORT, `http://127.0.0.1:${SERVER_PORT}`);
  server = await startServer({
    port: SERVER_PORT,
    persistDir: freshStateDir("token-endpoint"),
    vars: { ROOM_TOKEN_ENDPOINT: endpoint.url },
  });
});

test.afterAll(async () => {
  await server?.stop();
  await endpoint?.close();
});

test.beforeEach(() => {
  endpoint.ttlSeconds = 600;
  endpoint.renewalDelayMs = 0;
});

/** A visitor signed in to the site: its session cookie goes to the endpoint (same site, another port). */
async function signedIn(browser: Browser, session: string, localName: string): Promise<BrowserContext> {
  const context = await personContext(browser, localName);
  await context.addCookies([{ name: "session", value: session, domain: "127.0.0.1", path: "/" }]);
  return context;
}

test("a private room opens at its link with a token from the site's endpoint; a visitor without one is refused", async ({
  browser,
}) => {
  const room = uniqueRoom("link-private");
  const ada = await openRoom(await signedIn(browser, "ada", "Ada"), server.url, room);
  expect(endpoint.issued.filter((entry) => entry.room === room)).toHaveLength(1);
  await typeInEditor(ada, "for members only");

  const bo = await openRoom(await signedIn(browser, "bo", "Bo"), server.url, room);
  await expectDocument(bo, "for members only");
  // Others know each person by the token's name (the site's), not the one typed into the browser.
  await expect(people(bo).filter({ hasText: "Ada Lovelace" })).toHaveCount(1);
  await expect(people(ada).filter({ hasText: "Bo Diddley" })).toHaveCount(1);
  // And each page names its own person the same way: the verified identity wins over the typed one.
  await expect(people(ada).filter({ hasText: "(you)" })).toContainText("Ada Lovelace");
  await expect(people(bo).filter({ hasText: "(you)" })).toContainText("Bo Diddley");

  const stranger = await (await personContext(browser, "Mallory")).newPage();
  await stranger.goto(`${server.url}/r/${room}`);
  await expect(stranger.getByRole("status")).toContainText("private", { timeout: 20_000 });
  await expect(stranger.getByRole("textbox", { name: "Document" })).not.toContainText("for members only");
});

test("a short-lived token is renewed before it expires: text typed after expiry reaches another person", async ({
  browser,
}) => {
  test.setTimeout(90_000);
  endpoint.ttlSeconds = 10;
  const room = uniqueRoom("link-expiry");
  const ada = await openRoom(await signedIn(browser, "ada", "Ada"), server.url, room);
  const bo = await openRoom(await signedIn(browser, "bo", "Bo"), server.url, room);
  const first = endpoint.issued.find((entry) => entry.room === room && entry.session === "ada");
  expect(first).toBeDefined();
  await typeInEditor(ada, "before expiry.");
  await expectDocument(bo, "before expiry.");

  // Past the first token's exp (the room ends sockets at exp), with at least one renewal.
  const expiredAt = (first?.exp ?? 0) * 1000 + 1_000;
  await expect.poll(() => Date.now() > expiredAt, { timeout: 20_000, intervals: [500] }).toBe(true);
  expect(endpoint.issued.filter((e) => e.room === room && e.session === "ada").length).toBeGreaterThan(1);
  await typeInEditor(ada, " after expiry.");
  await expectSynced(ada);
  await expectDocument(bo, "before expiry. after expiry.");
  await typeInEditor(bo, " Bo too.");
  await expectDocument(ada, "before expiry. after expiry. Bo too.");
});

test("after a 4402 (the renewal came too late) the page gets a new token and keeps what was typed", async ({
  browser,
}) => {
  test.setTimeout(90_000);
  endpoint.ttlSeconds = 12;
  // The renewal (asked 9 s in) answers 6 s later (within the page's 8 s fetch timeout), after the first
  // token expired: the room ends the socket first.
  endpoint.renewalDelayMs = 6_000;
  const room = uniqueRoom("link-4402");
  // Bo first: Ada's token starts its 12 s when her page opens, so a slow machine cannot spend them on Bo's.
  const bo = await openRoom(await signedIn(browser, "bo", "Bo"), server.url, room);
  const ada = await openRoom(await signedIn(browser, "ada", "Ada"), server.url, room);
  await typeInEditor(ada, "typed before the gap.");
  await expectDocument(bo, "typed before the gap.");
  await expect(ada.getByRole("status")).toContainText("expired", { timeout: 20_000 });
  // The late answer (minted when it is sent) is long-lived, so the rest of the test has time.
  endpoint.ttlSeconds = 600;
  await expectSynced(ada);
  await typeInEditor(ada, " And after.");
  await expectDocument(bo, "typed before the gap. And after.");
});

test("offline, a private room's link still opens and waits for its token; back online it gets in", async ({
  browser,
}) => {
  const room = uniqueRoom("link-offline");
  const context = await signedIn(browser, "ada", "Ada");
  const ada = await openRoom(context, server.url, room);
  await typeInEditor(ada, "members only.");
  await expect
    .poll(() => ada.evaluate(() => navigator.serviceWorker.controller?.state ?? "none"), { timeout: 30_000 })
    .toBe("activated");
  const asked = endpoint.issued.length;

  await context.setOffline(true);
  await ada.reload();
  await expect(ada.getByRole("status")).toContainText("Offline");
  await context.setOffline(false);
  // Back online it asks the endpoint first (the page remembered it has one) and never knocks without a token.
  await expectSynced(ada);
  expect(endpoint.issued.length).toBeGreaterThan(asked);
  await expectDocument(ada, "members only.");
  await expect(ada.getByRole("status")).not.toContainText("private");
});

test("a token's name wins: renaming yourself from the people list is disabled and says why", async ({
  browser,
}) => {
  const room = uniqueRoom("link-token-name");
  const ada = await openRoom(await signedIn(browser, "ada", "Ada"), server.url, room);
  const own = people(ada).filter({ hasText: "(you)" });
  await expect(own).toContainText("Ada Lovelace");
  const rename = own.getByRole("button", { name: "Rename yourself" });
  await expect(rename).toHaveAttribute("aria-disabled", "true");
  await expect(rename).toHaveAccessibleDescription("Your sign-in sets your name here");
  // Reached by keyboard like any button (Playwright's click waits for aria-disabled to clear): it opens nothing.
  await rename.focus();
  await ada.keyboard.press("Enter");
  await expect(ada.getByRole("textbox", { name: "Your name" })).toHaveCount(0);
  // Renaming the room is not about who you are: an editing token may.
  await expect(ada.getByRole("button", { name: "Rename room" })).toBeEnabled();
});
