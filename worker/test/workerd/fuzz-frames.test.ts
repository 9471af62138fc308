/**
 * The hostile-frame fuzz run (see `worker/test/unit/fuzz-frames.test.ts`)
 * against a room whose document lives in a real Durable Object's SQLite
 * storage, inside workerd. workerd's clock does not move while code runs, so
 * the per-frame time bound is checked by the Node run only.
 */
import { runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, it } from "vitest";
import * as Y from "yjs";
import { SqliteUpdateStore } from "../../src/durable/sqlite-update-store.ts";
import { expectConverged, runFuzz } from "../support/fuzz-run.ts";

const HOSTILE_FRAMES = Number((env as unknown as { FUZZ_FRAMES?: string }).FUZZ_FRAMES ?? 100_000);
const untimed = <T>(handle: () => T) => ({ result: handle(), ms: 0 });

describe("fuzz: hostile frames inside workerd", () => {
  it(
    `a room over Durable Object storage survives ${HOSTILE_FRAMES} hostile frames`,
    { timeout: 240_000 },
    async () => {
      const stub = env.Room.get(env.Room.idFromName("fuzz-room"));
      await runInDurableObject(stub, (_instance, state) => {
        const updates = new SqliteUpdateStore(state.storage);
        const run = runFuzz({ frames: HOSTILE_FRAMES, updates, time: untimed });
        expectConverged(run, HOSTILE_FRAMES);
        // The host writes queued appends before anything leaves the room; this test is the host.
        updates.flush();
        // What was stored is the document: a room started from storage alone holds the same text.
        const reloaded = new Y.Doc();
        for (const update of new SqliteUpdateStore(state.storage).load()) Y.applyUpdate(reloaded, update);
        const expected = run.docs.reference.getText("content").toString();
        if (reloaded.getText("content").toString() !== expected) throw new Error("stored document differs");
      });
    },
  );
});
