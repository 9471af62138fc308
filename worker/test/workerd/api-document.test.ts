/** The document through the API: read in three formats, written as text or a Yjs update, the same document sockets edit. */
import { ApiErrorCode, DOCUMENT_TEXT, LIMITS } from "@edgeroom/shared";
import { crowd, dependentEdit, seedText } from "@edgeroom/testkit";
import { describe, expect, it } from "vitest";
import * as Y from "yjs";
import { api, apiErrorOf } from "../support/api-client.ts";
import { connectClosedAfterEach } from "../support/connect.ts";

const connect = connectClosedAfterEach();

function writeText(room: string, text: string, mode: "append" | "replace"): Promise<Response> {
  return api(`/api/v1/rooms/${room}/document`, { method: "POST", json: { text, mode } });
}

function writeUpdate(room: string, update: Uint8Array): Promise<Response> {
  return api(`/api/v1/rooms/${room}/document`, {
    method: "POST",
    headers: { "Content-Type": "application/octet-stream" },
    body: update,
  });
}

async function readText(room: string): Promise<string> {
  const response = await api(`/api/v1/rooms/${room}/document?format=text`);
  expect(response.status).toBe(200);
  return response.text();
}

describe("GET document", () => {
  it("gives the text as text/plain and text/markdown, and the whole state as one Yjs update", async () => {
    const room = "doc-formats";
    expect((await writeText(room, "# Title\n\nBody – ünïcode ✓", "append")).status).toBe(200);
    for (const [format, type] of [
      ["", "text/plain; charset=utf-8"],
      ["?format=text", "text/plain; charset=utf-8"],
      ["?format=markdown", "text/markdown; charset=utf-8"],
    ]) {
      const response = await api(`/api/v1/rooms/${room}/document${format}`);
      expect(response.status).toBe(200);
      expect(response.headers.get("Content-Type")).toBe(type);
      expect(await response.text()).toBe("# Title\n\nBody – ünïcode ✓");
    }
    const yjs = await api(`/api/v1/rooms/${room}/document?format=yjs`);
    expect(yjs.headers.get("Content-Type")).toBe("application/octet-stream");
    const doc = new Y.Doc();
    Y.applyUpdate(doc, new Uint8Array(await yjs.arrayBuffer()));
    expect(doc.getText(DOCUMENT_TEXT).toString()).toBe("# Title\n\nBody – ünïcode ✓");
  });

  it("gives an empty document for a room never used", async () => {
    expect(await readText("doc-never-used")).toBe("");
    const yjs = await api("/api/v1/rooms/doc-never-used/document?format=yjs");
    const doc = new Y.Doc();
    Y.applyUpdate(doc, new Uint8Array(await yjs.arrayBuffer()));
    expect(doc.getText(DOCUMENT_TEXT).toString()).toBe("");
  });

  it("returns what a socket typed", async () => {
    const client = await connect("doc-from-socket");
    await client.type("typed in a browser");
    expect(await readText("doc-from-socket")).toBe("typed in a browser");
  });
});

describe("POST document", () => {
  it("appends and replaces text, answers the size, and every socket syncs to it", async () => {
    const room = "doc-text-write";
    const before = await connect(room);
    const appended = await writeText(room, "hello world", "append");
    expect(appended.status).toBe(200);
    const { documentBytes } = (await appended.json()) as { documentBytes: number };
    expect(documentBytes).toBeGreaterThan(0);
    await before.until(() => before.text.toString() === "hello world");
    expect((await writeText(room, "!", "append")).status).toBe(200);
    // A caret after "hel" stays there through a replace that keeps "hello ": the smallest change, not delete-all.
    const caret = Y.createRelativePositionFromTypeIndex(before.text, 3);
    expect((await writeText(room, "hello there!", "replace")).status).toBe(200);
    await before.until(() => before.text.toString() === "hello there!");
    expect(Y.createAbsolutePositionFromRelativePosition(caret, before.doc)?.index).toBe(3);
    expect(await readText(room)).toBe("hello there!");
    const after = await connect(room);
    expect(after.text.toString()).toBe("hello there!");
    const info = (await (await api(`/api/v1/rooms/${room}`)).json()) as { documentBytes: number };
    expect(info.documentBytes).toBeGreaterThan(0);
  });

  it("applies a Yjs update as a server change that sockets receive", async () => {
    const room = "doc-yjs-write";
    const client = await connect(room);
    const { update } = seedText(4242, "from a backend's Y.Doc");
    const response = await writeUpdate(room, update);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ documentBytes: expect.any(Number) });
    await client.until(() => client.text.toString() === "from a backend's Y.Doc");
    expect(await readText(room)).toBe("from a backend's Y.Doc");
    // The same update again changes nothing.
    expect((await writeUpdate(room, update)).status).toBe(200);
    expect(await readText(room)).toBe("from a backend's Y.Doc");
  });

  it("refuses a malformed update with 400 and changes nothing", async () => {
    const room = "doc-yjs-garbage";
    expect((await writeText(room, "kept", "append")).status).toBe(200);
    for (const garbage of [
      new Uint8Array([129, 170, 219, 106, 7, 157, 161]),
      new TextEncoder().encode('{"text":"x"}'),
    ]) {
      const response = await writeUpdate(room, garbage);
      expect(response.status).toBe(400);
      expect((await apiErrorOf(response)).code).toBe(ApiErrorCode.badRequest);
    }
    expect(await readText(room)).toBe("kept");
  });

  it("refuses an update built on changes the room never saw with 400, and says how to fix it", async () => {
    const room = "doc-yjs-missing";
    expect((await writeText(room, "kept", "append")).status).toBe(200);
    const elsewhere = seedText(50, "a base this room never saw");
    const response = await writeUpdate(room, dependentEdit(elsewhere.doc, 51, " and an edit after it"));
    expect(response.status).toBe(400);
    expect((await apiErrorOf(response)).message).toMatch(/format=yjs/);
    expect(await readText(room)).toBe("kept");
  });

  it("refuses a JSON write that fails its schema, and a wrong media type, changing nothing", async () => {
    const room = "doc-bad-body";
    expect((await writeText(room, "kept", "append")).status).toBe(200);
    const bad = await api(`/api/v1/rooms/${room}/document`, {
      method: "POST",
      json: { text: "x", mode: "prepend" },
    });
    expect(bad.status).toBe(400);
    expect((await apiErrorOf(bad)).message).toMatch(/^mode: /);
    const extra = await api(`/api/v1/rooms/${room}/document`, {
      method: "POST",
      json: { text: "!", mode: "append", __proto__: { mode: "replace" }, extra: true },
    });
    expect(extra.status).toBe(200);
    expect(await readText(room)).toBe("kept!");
    const wrongType = await api(`/api/v1/rooms/${room}/document`, {
      method: "POST",
      headers: { "Content-Type": "text/plain" },
      body: "replace me",
    });
    expect(wrongType.status).toBe(415);
    expect(await readText(room)).toBe("kept!");
  });

  it(
    "answers 422 document-too-large when a write would pass the document cap, and keeps the document",
    { timeout: 60_000 },
    async () => {
      const room = "doc-too-large";
      const chunk = "a".repeat(Math.floor(LIMITS.maxApiBodyBytes * 0.9));
      let refused: Response | undefined;
      for (let i = 0; i < 4 && !refused; i++) {
        const response = await writeText(room, chunk, "append");
        if (response.status !== 200) refused = response;
      }
      expect(refused?.status).toBe(422);
      expect((await apiErrorOf(refused!)).code).toBe(ApiErrorCode.documentTooLarge);
      const text = await readText(room);
      expect(text.length % chunk.length).toBe(0);
      expect(text.length).toBeLessThanOrEqual(LIMITS.maxDocumentBytes);
    },
  );

  it("answers 422 too-costly for an update that costs more than one change may, and keeps the document", async () => {
    const room = "doc-too-costly";
    const seed = seedText(40, "ab");
    expect((await writeUpdate(room, seed.update)).status).toBe(200);
    // Twenty clients each inserting 450 characters at one place: every one walks over all the others'.
    const clients = Array.from({ length: 20 }, (_, i) => 100 + i);
    const costly = crowd({ client: 40, clock: 0 }, { client: 40, clock: 1 }, clients, 450);
    const response = await writeUpdate(room, costly);
    expect(response.status).toBe(422);
    expect((await apiErrorOf(response)).code).toBe(ApiErrorCode.tooCostly);
    expect(await readText(room)).toBe("ab");
  });
});
