import { DOCUMENT_TEXT, LIMITS, type ServerAppMessage } from "@edgeroom/shared";
import { abortAllDurableObjects, runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { afterEach, describe, expect, it } from "vitest";
import * as Y from "yjs";
import { connectToRoom } from "../support/connect.ts";
import { snapshotsSettled } from "../support/snapshots-settled.ts";
import type { YTestClient } from "../support/y-test-client.ts";

let open: YTestClient[] = [];

async function connect(room: string, name = "Ada"): Promise<YTestClient> {
  const client = await connectToRoom(room, { user: { name, color: "#225588" } });
  open.push(client);
  return client;
}

afterEach(() => {
  for (const client of open) client.socket.close(1000, "test over");
  open = [];
});

const stub = (room: string) => env.Room.get(env.Room.idFromName(room));

/** The room's snapshots in R2, oldest first, each with the document text it holds. */
async function snapshotsInR2(room: string): Promise<Array<{ key: string; text: string }>> {
  const listing = await env.SNAPSHOTS.list({ prefix: `rooms/${room}/snapshots/` });
  const snapshots = [];
  for (const object of listing.objects.sort((a, b) => a.key.localeCompare(b.key))) {
    const body = await env.SNAPSHOTS.get(object.key);
    const doc = new Y.Doc();
    Y.applyUpdate(doc, new Uint8Array(await (body as R2ObjectBody).arrayBuffer()));
    snapshots.push({ key: object.key, text: doc.getText(DOCUMENT_TEXT).toString() });
  }
  return snapshots;
}

function leave(client: YTestClient): void {
  client.socket.close(1000, "bye");
  open = open.filter((c) => c !== client);
}

function last<T extends ServerAppMessage["type"]>(client: YTestClient, type: T) {
  return client.app.filter((m): m is Extract<ServerAppMessage, { type: T }> => m.type === type).at(-1);
}

const poll = { timeout: 10_000, interval: 250 };

describe("snapshots in R2", () => {
  it("writes one shortly after edits, names who edited, and tells every client", async () => {
    const room = "snap-debounce";
    const ada = await connect(room, "Ada");
    const bo = await connect(room, "Bo");
    await ada.type("first draft");
    await bo.type(", reviewed");
    await expect.poll(() => snapshotsInR2(room), poll).toMatchObject([{ text: "first draft, reviewed" }]);
    await ada.until(() => last(ada, "versions") !== undefined);
    const pushed = last(ada, "versions")?.versions ?? [];
    expect(pushed).toHaveLength(1);
    expect(pushed[0]?.editors).toEqual(["Ada", "Bo"]);
    expect(pushed[0]?.bytes).toBeGreaterThan(0);
  });

  it("writes the final text when the last person leaves", async () => {
    const room = "snap-leave";
    const ada = await connect(room);
    await ada.type("one");
    await expect.poll(() => snapshotsInR2(room), poll).toHaveLength(1);
    await ada.type(" two");
    leave(ada);
    await expect
      .poll(async () => (await snapshotsInR2(room)).map((s) => s.text), poll)
      .toEqual(["one", "one two"]);
  });

  it("lists versions and serves a version's text, refusing one that does not exist", async () => {
    const room = "snap-read";
    const ada = await connect(room);
    await ada.type("kept in history");
    await ada.until(() => last(ada, "versions") !== undefined, 10_000);
    await ada.type(" and then changed");
    const at = last(ada, "versions")?.versions[0]?.at ?? 0;
    ada.sendApp({ type: "version-get", at });
    await ada.until(() => last(ada, "version") !== undefined);
    expect(last(ada, "version")).toEqual({ type: "version", at, text: "kept in history" });
    ada.sendApp({ type: "version-get", at: at + 1 });
    await ada.until(() => last(ada, "error")?.code === "version-not-found");
  });

  it("restores a room whose storage was wiped from its newest snapshot, versions included", async () => {
    const room = "snap-restore";
    const ada = await connect(room);
    await ada.type("# Notes\n\nSurvives losing the object's storage.");
    const live = ada.text.toString();
    leave(ada);
    await expect.poll(async () => (await snapshotsInR2(room)).at(-1)?.text, poll).toBe(live);

    const tablesLeft = await runInDurableObject(stub(room), async (_room, state) => {
      await state.storage.deleteAlarm();
      await state.storage.deleteAll();
      const tables = `SELECT COUNT(*) AS n FROM sqlite_master WHERE type = 'table' AND name LIKE 'doc_%'`;
      return state.storage.sql.exec<{ n: number }>(tables).one().n;
    });
    expect(tablesLeft).toBe(0);
    await snapshotsSettled(["snap-debounce", "snap-leave", "snap-read"]);
    await abortAllDurableObjects();

    const bo = await connect(room, "Bo");
    expect(bo.text.toString()).toBe(live);
    bo.sendApp({ type: "versions-list" });
    await bo.until(() => (last(bo, "versions")?.versions.length ?? 0) > 0);
    expect(last(bo, "versions")?.versions.at(-1)?.editors).toEqual(["Ada"]);
  });
});

describe("the document size cap", () => {
  it("refuses an update past the cap, leaves the document as it was and tells the sizes", async () => {
    const room = "size-cap";
    const writer = await connect(room, "Ada");
    const watcher = await connect(room, "Bo");
    const block = "x".repeat(1_900_000);
    await writer.type(block);
    await writer.type(block);
    const acked = last(writer, "doc-ack")?.docBytes ?? 0;
    expect(acked).toBeGreaterThan(LIMITS.maxDocumentBytes * LIMITS.documentWarnRatio);
    await watcher.until(() => watcher.text.length === 2 * block.length, 10_000);

    writer.text.insert(0, "y".repeat(500_000));
    await writer.settled();
    expect(last(writer, "doc-reject")?.code).toBe("document-too-large");

    const late = await connect(room, "Cy");
    expect(late.text.length).toBe(2 * block.length);
    expect(late.text.toString().startsWith("y")).toBe(false);
    expect(watcher.text.length).toBe(2 * block.length);
    expect(last(late, "welcome")?.docBytes).toBeGreaterThanOrEqual(acked - 1024);
  });
});
