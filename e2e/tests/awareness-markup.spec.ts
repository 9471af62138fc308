/**
 * Awareness is data, never markup: a hostile client outside any browser
 * publishes an awareness `user` whose colour is CSS (covering the page and
 * fetching an attacker's URL if it ever reached a `style` attribute). The
 * person in the room sees, at most, an anonymous caret in a safe colour.
 */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import type { Page } from "@playwright/test";
import WebSocket from "ws";
import { WebsocketProvider } from "y-websocket";
import * as Y from "yjs";
import { expect, test } from "../support/test.ts";
import {
  editor,
  expectDocument,
  openRoom,
  personContext,
  typeInEditor,
  uniqueRoom,
} from "../support/room.ts";
import { SHARED_PORT } from "../support/shared-server.ts";

/** A tiny HTTP server standing in for the attacker's: it counts every request it gets. */
async function attackerServer(): Promise<{ server: Server; url: string; hits: () => number }> {
  let hits = 0;
  const server = createServer((_request, response) => {
    hits += 1;
    response.writeHead(200, { "Content-Type": "image/png" }).end();
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return { server, url: `http://127.0.0.1:${port}/pwned`, hits: () => hits };
}

/** Every inline style in the page, as the DOM holds it. */
function inlineStyles(page: Page): Promise<string[]> {
  return page.evaluate(() =>
    [...document.querySelectorAll("[style]")].map((e) => e.getAttribute("style") ?? ""),
  );
}

test("a hostile awareness state never becomes CSS in a visitor's page", async ({ browser, baseURL }) => {
  const attacker = await attackerServer();
  const room = uniqueRoom("awareness-css");
  const requests: string[] = [];
  const ada = await openRoom(await personContext(browser, "Ada"), baseURL ?? "", room);
  ada.on("request", (request) => requests.push(request.url()));
  await typeInEditor(ada, "hello world, this is Ada's text");
  await expectDocument(ada, "hello world, this is Ada's text");

  // A stock y-websocket provider over Node's `ws`: no Origin, no app lane, no code of ours.
  const doc = new Y.Doc();
  const provider = new WebsocketProvider(`ws://127.0.0.1:${SHARED_PORT}/parties/room`, room, doc, {
    WebSocketPolyfill: WebSocket as unknown as typeof globalThis.WebSocket,
    disableBc: true,
  });
  try {
    await expect.poll(() => doc.getText("content").toString()).toContain("hello world");
    const text = doc.getText("content");
    const css = `red;position:fixed;inset:0;z-index:9999;background:url(${attacker.url})`;
    provider.awareness.setLocalState({
      user: { name: "Eve\u202e\n<b>x</b>", color: css, colorLight: css },
      cursor: {
        anchor: Y.createRelativePositionFromTypeIndex(text, 2),
        head: Y.createRelativePositionFromTypeIndex(text, 8),
      },
    });

    // The caret arrives (the cursor itself is valid); whatever it shows, it shows as data.
    const caret = editor(ada).locator(".cm-ySelectionCaret");
    await expect(caret).toHaveCount(1);
    await ada.waitForTimeout(500); // let any image the page would load be requested
    expect(attacker.hits()).toBe(0);
    expect(requests.filter((url) => url.includes("/pwned"))).toEqual([]);
    for (const style of await inlineStyles(ada)) {
      expect(style).not.toMatch(/url\(|pwned|inset|9999|position: ?fixed/);
    }
    const colour = await caret.evaluate((e) => getComputedStyle(e).backgroundColor);
    expect(colour).toMatch(/^rgba?\(\d+, \d+, \d+(, [\d.]+)?\)$/);
    expect(colour).not.toBe("rgb(255, 0, 0)");
    await expect(caret).not.toContainText("<b>");
  } finally {
    provider.destroy();
    await new Promise((resolve) => attacker.server.close(resolve));
  }
});
