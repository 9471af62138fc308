/**
 * The summary stored beside a compacted document (UpdateStore.summary) in
 * the room's real SQLite: a whole document handed over in one large first
 * sync is compacted at once with its summary, which a later compaction
 * without one (a restore from R2) drops, so it never describes another state.
 */
import { LIMITS } from "@edgeroom/shared";
import { runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import * as Y from "yjs";
import { SqliteUpdateStore } from "../../src/durable/sqlite-update-store.ts";
import { connectClosedAfterEach } from "../support/connect.ts";

const connect = connectClosedAfterEach();

describe("the stored summary", () => {
  it("is written with a large first sync's compaction, read back, and dropped by a compaction without one", async () => {
    const room = "summary-room";
    const doc = new Y.Doc();
    doc.getText("content").insert(0, "y".repeat(LIMITS.compactAfterLogBytes + 4096));
    const writer = await connect(room, { doc });
    await writer.settled();
    const reader = await connect(room);
    await reader.until(() => reader.text.length === doc.getText("content").length, 10_000);

    const stub = env.Room.get(env.Room.idFromName(room));
    const read = await runInDurableObject(stub, (_instance, state) => {
      const store = new SqliteUpdateStore(state.storage);
      const summary = store.summary();
      return {
        logLength: store.logLength(),
        stateVector: summary && [...summary.stateVector],
        deletes: summary && [...summary.deletes],
      };
    });
    expect(read.logLength).toBe(0);
    expect(read.stateVector).toEqual([...Y.encodeStateVector(doc)]);
    expect(read.deletes).toEqual([...Y.encodeStateAsUpdate(doc, Y.encodeStateVector(doc))]);

    const dropped = await runInDurableObject(stub, (_instance, state) => {
      const store = new SqliteUpdateStore(state.storage);
      store.replaceWith(Y.encodeStateAsUpdate(doc));
      return store.summary();
    });
    expect(dropped).toBeUndefined();
  });
});
