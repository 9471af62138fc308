import { CloseCode, DOCUMENT_TEXT, LIMITS, type ServerAppMessage, type Version } from "@edgeroom/shared";
import { abortAllDurableObjects, runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { afterEach, describe, expect, it, vi } from "vitest";
import * as Y from "yjs";
import { R2SnapshotArchive, type SnapshotArchive } from "../../src/durable/snapshot-archive.ts";
import { Snapshotter } from "../../src/durable/snapshotter.ts";
import { connectToRoom, refusedClose } from "../support/connect.ts";
import { snapshotsSettled } from "../support/snapshots-settled.ts";
import { type HeadlessClient, signRoomToken } from "@edgeroom/testkit";

let open: HeadlessClient[] = [];

async function connect(room: string, name = "Ada"): Promise<HeadlessClient> {
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

function leave(client: HeadlessClient): void {
  client.socket.close(1000, "bye");
  open = open.filter((c) => c !== client);
}

function last<T extends ServerAppMessage["type"]>(client: HeadlessClient, type: T) {
  return client.app.filter((m): m is Extract<ServerAppMessage, { type: T }> => m.type === type).at(-1);
}

const poll = { timeout: 10_000, interval: 250 };

/** Loses the object's storage, as a failed machine or an operator's mistake would. */
async function wipeStorage(room: string): Promise<void> {
  await runInDurableObject(stub(room), async (_room, state) => {
    await state.storage.deleteAlarm();
    await state.storage.deleteAll();
  });
}

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

describe("access survives losing the object's storage", () => {
  it("a private room is restored from R2 private, also one that turned private after its last edit", async () => {
    const bornPrivate = "snap-private-born";
    const turned = "snap-private-turned";
    const owner = await connectToRoom(bornPrivate, {
      token: await signRoomToken({ room: bornPrivate, sub: "owner-00010", private: true }),
    });
    open.push(owner);
    await owner.type("secret plans");
    leave(owner);

    const early = await connect(turned, "Early");
    await early.type("written while public");
    await expect.poll(() => snapshotsInR2(turned), poll).toHaveLength(1);
    const closer = await connectToRoom(turned, {
      token: await signRoomToken({ room: turned, sub: "owner-00011", private: true }),
    });
    open.push(closer);
    leave(closer);

    // Every room in this file, so aborting never cuts an R2 write short.
    const rooms = [
      "snap-debounce",
      "snap-leave",
      "snap-read",
      "snap-restore",
      "size-cap",
      bornPrivate,
      turned,
    ];
    await snapshotsSettled(rooms);
    await wipeStorage(bornPrivate);
    await wipeStorage(turned);
    await abortAllDurableObjects();

    for (const [room, text] of [
      [bornPrivate, "secret plans"],
      [turned, "written while public"],
    ] as const) {
      const refused = await Promise.race([
        refusedClose(room, { user: { name: "Eve", color: "#225588" } }),
        new Promise<"admitted">((resolve) => setTimeout(() => resolve("admitted"), 3_000)),
      ]);
      expect(refused, room).toMatchObject({ code: CloseCode.tokenRequired });
      const invited = await connectToRoom(room, {
        token: await signRoomToken({ room, sub: "invited-0001" }),
      });
      open.push(invited);
      expect(invited.text.toString(), room).toBe(text);
    }
  });
});

describe("snapshot metadata within R2's limits", () => {
  /** Forty distinct names of 40 control characters each: 240 bytes each once JSON escapes them. */
  const controlNames = Array.from({ length: 40 }, (_, i) =>
    Array.from({ length: 40 }, (_, j) => String.fromCharCode(1 + ((i + j) % 31))).join(""),
  );
  /** Forty names of 40 non-Latin characters: 120 bytes each in UTF-8. */
  const wideNames = Array.from({ length: 40 }, (_, i) => `${String(i).padStart(2, "0")}${"€".repeat(38)}`);

  it.each([
    ["nine control-character names", controlNames.slice(0, 9)],
    ["forty control-character names", controlNames],
    ["forty non-Latin names", wideNames],
  ])("a version is written for %s, private flag included", async (_label, names) => {
    const room = `snap-meta-${names.length}-${names[0]?.codePointAt(2) ?? 0}`;
    const written = await runInDurableObject(stub(room), async (_instance, state) => {
      const snapshots = new Snapshotter(state.storage.sql, new R2SnapshotArchive(env.SNAPSHOTS), room);
      for (const name of names) snapshots.noteEdit(name);
      snapshots.flushSoon();
      const doc = new Y.Doc();
      doc.getText(DOCUMENT_TEXT).insert(0, "named by many");
      return snapshots.runIfDue(doc, { private: true });
    });
    expect(written).toBeDefined();
    const listed = await new R2SnapshotArchive(env.SNAPSHOTS).list(room);
    expect(listed).toHaveLength(1);
    expect(listed[0]?.access.private).toBe(true);
    expect(listed[0]?.editors).toEqual(written?.editors);
    // Kept names are the people's names (control characters aside), never mangled halves.
    for (const editor of listed[0]?.editors ?? [])
      expect(names.map((n) => n.replace(/\p{Cc}/gu, ""))).toContain(editor);
    if (names === wideNames) expect(listed[0]?.editors.length).toBeGreaterThan(0);
    expect((await snapshotsInR2(room)).map((s) => s.text)).toEqual(["named by many"]);
  });

  it("a failing put backs off exponentially up to the cap, logs each failure once with the room, and remembers it in storage", async () => {
    const room = "snap-backoff";
    const errors = vi.spyOn(console, "error").mockImplementation(() => undefined);
    try {
      const result = await runInDurableObject(stub(room), async (_instance, state) => {
        let now = 1_000_000;
        let failing = true;
        const puts: number[] = [];
        const archive: SnapshotArchive = {
          put: async (_room: string, version: Version) => {
            puts.push(now);
            if (failing) throw new Error("R2 is down");
            void version;
          },
          list: async () => [],
          get: async () => undefined,
          delete: async () => undefined,
          deleteRoom: async () => undefined,
        };
        const snapshots = new Snapshotter(state.storage.sql, archive, room, () => now);
        snapshots.noteEdit("Ada");
        snapshots.flushSoon();
        const doc = new Y.Doc();
        const waits: number[] = [];
        for (let attempt = 0; attempt < 10; attempt += 1) {
          const putsBefore = puts.length;
          // However often the alarm runs before the back-off ends, nothing is tried.
          for (let i = 0; i < 5; i += 1) await snapshots.runIfDue(doc, { private: false });
          if (puts.length !== putsBefore + 1)
            throw new Error(`attempt ${attempt}: ${puts.length - putsBefore} puts`);
          const due = snapshots.dueAt() ?? 0;
          waits.push(due - now);
          await snapshots.runIfDue(doc, { private: false });
          now = due - 1;
          await snapshots.runIfDue(doc, { private: false });
          now = due;
        }
        // A new object (after eviction) reads the same back-off from storage.
        const afterWake = new Snapshotter(state.storage.sql, archive, room, () => now - 1);
        const dueAfterWake = afterWake.dueAt();
        failing = false;
        const saved = await snapshots.runIfDue(doc, { private: false });
        return {
          waits,
          puts: puts.length,
          dueAfterWake,
          now,
          saved: saved !== undefined,
          after: snapshots.dueAt(),
        };
      });
      expect(result.waits).toEqual([5, 10, 20, 40, 80, 160, 320, 600, 600, 600].map((s) => s * 1000));
      expect(result.dueAfterWake).toBe(result.now);
      expect(result.saved).toBe(true);
      expect(result.after).toBeUndefined();
      expect(result.puts).toBe(11);
      const logged = errors.mock.calls.filter((call) => String(call[0]).includes(room));
      expect(logged).toHaveLength(10);
    } finally {
      errors.mockRestore();
    }
  });
});
