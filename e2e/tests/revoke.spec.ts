/**
 * Taking access back from a real browser: a page in a private room (signed
 * in through the site's token endpoint) is closed with 4405 within 1 s of
 * `POST …/revoke`, says why and stays out; with `scope: "view"` it stays
 * connected but becomes read-only at once, without a reload.
 */
import type { Browser, BrowserContext, Page } from "@playwright/test";
import { TEST_API_SECRET } from "@edgeroom/testkit";
import { CloseCode } from "@edgeroom/shared";
import { apiOk, roomPath } from "../support/api.ts";
import { expect, test } from "../support/test.ts";
import { freshStateDir, startServer, type RunningServer } from "../support/server.ts";
import { SHARED_PORT } from "../support/shared-server.ts";
import { startTokenEndpoint, type TokenEndpoint } from "../support/token-endpoint.ts";
import {
  documentText,
  editor,
  expectDocument,
  openRoom,
  people,
  personContext,
  typeInEditor,
  uniqueRoom,
} from "../support/room.ts";

const ENDPOINT_PORT = SHARED_PORT + 25;
const SERVER_PORT = SHARED_PORT + 26;
const ADA_SUB = "site-user-ada";

let server: RunningServer;
let endpoint: TokenEndpoint;

test.beforeAll(async () => {
  endpoint = await startTokenEndpoint(ENDPOINT_PORT, `http://127.0.0.1:${SERVER_PORT}`);
  server = await startServer({
    port: SERVER_PORT,
    persistDir: freshStateDir("revoke"),
    vars: { ROOM_TOKEN_ENDPOINT: endpoint.url },
  });
});

test.afterAll(async () => {
  await server?.stop();
  await endpoint?.close();
});

interface SocketLog {
  created: number;
  closes: Array<{ code: number; at: number }>;
}

/**
 * A visitor signed in to the site, whose page records every WebSocket it
 * opens and each close (code and `performance.now()`), so the test can time
 * the close in the page and see whether it ever reconnects.
 */
async function signedIn(browser: Browser, session: string, localName: string): Promise<BrowserContext> {
  const context = await personContext(browser, localName);
  await context.addCookies([{ name: "session", value: session, domain: "127.0.0.1", path: "/" }]);
  await context.addInitScript(() => {
    const log: SocketLog = { created: 0, closes: [] };
    (window as unknown as { socketLog: SocketLog }).socketLog = log;
    const Native = window.WebSocket;
    window.WebSocket = class extends Native {
      constructor(url: string | URL, protocols?: string | string[]) {
        super(url, protocols);
        log.created += 1;
        this.addEventListener("close", (event) =>
          log.closes.push({ code: event.code, at: performance.now() }),
        );
      }
    };
  });
  return context;
}

function socketLog(page: Page): Promise<SocketLog> {
  return page.evaluate(() => (window as unknown as { socketLog: SocketLog }).socketLog);
}

/** The host's backend revokes, called from inside the page so the answer and the close share one clock. */
function revokeFromPage(
  page: Page,
  room: string,
  body: { sub: string; scope?: "view" },
): Promise<{ status: number; body: unknown; at: number }> {
  return page.evaluate(
    async ({ url, secret, body }) => {
      const response = await fetch(url, {
        method: "POST",
        headers: { Authorization: `Bearer ${secret}`, "Content-Type": "application/json" },
        body: JSON.stringify(body),
      });
      const at = performance.now();
      return { status: response.status, body: (await response.json()) as unknown, at };
    },
    { url: `${server.url}/api/v1${roomPath(room, "/revoke")}`, secret: TEST_API_SECRET, body },
  );
}

test("revoke closes the person's socket with 4405 within 1 s; the page says why and does not reconnect", async ({
  browser,
}) => {
  const room = uniqueRoom("revoke-close");
  const ada = await openRoom(await signedIn(browser, "ada", "Ada"), server.url, room);
  const bo = await openRoom(await signedIn(browser, "bo", "Bo"), server.url, room);
  await typeInEditor(ada, "before the revocation.");
  await expectDocument(bo, "before the revocation.");
  await expect(people(bo).filter({ hasText: "Ada Lovelace" })).toHaveCount(1);

  const revoked = await revokeFromPage(ada, room, { sub: ADA_SUB });
  expect(revoked.status).toBe(200);
  expect(revoked.body).toMatchObject({ closedSockets: 1, downgradedSockets: 0 });
  await expect
    .poll(async () => (await socketLog(ada)).closes.filter((c) => c.code === CloseCode.accessRevoked).length)
    .toBe(1);
  const close = (await socketLog(ada)).closes.find((c) => c.code === CloseCode.accessRevoked);
  // The bound: closed within 1 s of the revocation (here, of its answer).
  expect((close?.at ?? Infinity) - revoked.at).toBeLessThan(1_000);

  await expect(ada.getByRole("status")).toContainText("Your access to this room was taken back.");
  await expect(ada.getByRole("alert")).toContainText("Your access to this room was taken back.");
  await expect(editor(ada)).toHaveAttribute("aria-readonly", "true");
  // It stays out: no new socket, and the others see it gone.
  const created = (await socketLog(ada)).created;
  await expect(people(bo).filter({ hasText: "Ada Lovelace" })).toHaveCount(0);
  await ada.waitForTimeout(3_000);
  expect((await socketLog(ada)).created).toBe(created);
  await expect(ada.getByRole("status")).toContainText("taken back");
  const inRoom = (await apiOk(server.url, roomPath(room, "/people"))).body as {
    people: Array<{ id: string }>;
  };
  expect(inRoom.people.map((p) => p.id)).not.toContain(ADA_SUB);
  // Bo, not revoked, carries on.
  await typeInEditor(bo, " Bo stays.");
  await expectDocument(bo, "before the revocation. Bo stays.");
});

test("revoke to view keeps the page connected but read-only at once: its typing never reaches anyone", async ({
  browser,
}) => {
  const room = uniqueRoom("revoke-view");
  const ada = await openRoom(await signedIn(browser, "ada", "Ada"), server.url, room);
  const bo = await openRoom(await signedIn(browser, "bo", "Bo"), server.url, room);
  await typeInEditor(ada, "Ada could edit.");
  await expectDocument(bo, "Ada could edit.");
  await expect(ada.getByText("View only", { exact: true })).toHaveCount(0);
  const created = (await socketLog(ada)).created;

  const revoked = await revokeFromPage(ada, room, { sub: ADA_SUB, scope: "view" });
  expect(revoked.status).toBe(200);
  expect(revoked.body).toMatchObject({ closedSockets: 0, downgradedSockets: 1 });

  // Read-only without a reload: the view-only cues, the editor and the chat composer.
  await expect(ada.getByText("View only", { exact: true })).toBeVisible();
  await expect(editor(ada)).toHaveAttribute("aria-readonly", "true");
  await expect(ada.getByText("View only: you can read the chat, not send.")).toBeVisible();
  await expect(ada.getByRole("textbox", { name: "Message" })).toHaveCount(0);
  await editor(ada).click();
  await ada.keyboard.press("Control+End");
  await ada.keyboard.type(" sneaked in");
  expect(await documentText(ada)).toBe("Ada could edit.");

  // Still connected, on the same socket: it hears Bo, and Bo never hears it.
  await expect(ada.getByRole("status")).toContainText("Synced");
  await typeInEditor(bo, " Bo adds.");
  await expectDocument(ada, "Ada could edit. Bo adds.");
  await bo.waitForTimeout(1_000);
  await expectDocument(bo, "Ada could edit. Bo adds.");
  const log = await socketLog(ada);
  expect(log.created).toBe(created);
  expect(log.closes.filter((c) => c.code === CloseCode.accessRevoked)).toEqual([]);
  await expect(people(bo).filter({ hasText: "Ada Lovelace" })).toHaveCount(1);
});
