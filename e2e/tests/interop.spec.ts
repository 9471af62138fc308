/**
 * A stock y-websocket client, with no code of ours, syncs with the room and
 * with the browser app; and it never receives one of our text frames.
 */
import { expect, test } from "../support/test.ts";
import WebSocket from "ws";
import { WebsocketProvider } from "y-websocket";
import * as Y from "yjs";
import { expectDocument, openRoom, personContext, typeInEditor, uniqueRoom } from "../support/room.ts";
import { SHARED_PORT } from "../support/shared-server.ts";

const SERVER = `ws://127.0.0.1:${SHARED_PORT}/parties/room`;

/** A `ws` WebSocket that counts the text frames it receives. */
function recordingSocket(log: { textFrames: number }) {
  return class RecordingWebSocket extends WebSocket {
    constructor(address: string | URL, protocols?: string | string[]) {
      super(address, protocols);
      this.on("message", (_data, isBinary) => {
        if (!isBinary) log.textFrames += 1;
      });
    }
  };
}

function stockClient(room: string, log = { textFrames: 0 }) {
  const doc = new Y.Doc();
  const provider = new WebsocketProvider(SERVER, room, doc, {
    WebSocketPolyfill: recordingSocket(log) as unknown as typeof globalThis.WebSocket,
    disableBc: true,
  });
  const synced = new Promise<void>((resolve) => {
    if (provider.synced) resolve();
    else provider.once("sync", (isSynced: boolean) => isSynced && resolve());
  });
  return { doc, text: doc.getText("content"), provider, synced, log };
}

test("a stock y-websocket provider and the browser app edit one document", async ({ browser, baseURL }) => {
  const room = uniqueRoom("interop");
  const stock = stockClient(room);
  try {
    await stock.synced;
    stock.text.insert(0, "From a stock provider. ");
    const page = await openRoom(await personContext(browser, "Ada"), baseURL ?? "", room);
    await expectDocument(page, "From a stock provider. ");
    await typeInEditor(page, "From the browser.");
    await expect.poll(() => stock.text.toString()).toBe("From a stock provider. From the browser.");
    expect(stock.log.textFrames).toBe(0);
  } finally {
    stock.provider.destroy();
  }
});

test("two stock providers converge and never get a text frame while app clients chat", async ({
  browser,
  baseURL,
}) => {
  const room = uniqueRoom("stock-pair");
  const a = stockClient(room);
  const b = stockClient(room);
  try {
    await Promise.all([a.synced, b.synced]);
    a.text.insert(0, "one ");
    b.text.insert(0, "two ");
    await expect.poll(() => a.text.toString()).toHaveLength(8);
    await expect.poll(() => b.text.toString()).toBe(a.text.toString());

    const page = await openRoom(await personContext(browser, "Ada"), baseURL ?? "", room);
    await page.getByRole("textbox", { name: "Message" }).fill("hello stock clients");
    await page.keyboard.press("Enter");
    await expect(page.getByRole("log", { name: "Chat" })).toContainText("hello stock clients");
    await typeInEditor(page, "three");
    await expect.poll(() => a.text.toString()).toContain("three");
    expect(a.log.textFrames + b.log.textFrames).toBe(0);
  } finally {
    a.provider.destroy();
    b.provider.destroy();
  }
});
