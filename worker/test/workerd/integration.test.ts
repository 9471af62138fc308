/**
 * Inside workerd, over real sockets and a Durable Object's SQLite storage:
 * a room heals stored pending state on load, and a bystander's edits are
 * acknowledged promptly while a hostile socket floods the worst frames it
 * can send within the limits.
 */
import { encodeSyncUpdate, HEARTBEAT_PING } from "@edgeroom/shared";
import { runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { afterEach, describe, expect, it, vi } from "vitest";
import type { Room } from "../../src/durable/room-server.ts";
import { SqliteUpdateStore } from "../../src/durable/sqlite-update-store.ts";
import { connectToRoom } from "../support/connect.ts";
import {
  crowd,
  type HeadlessClient,
  type Id,
  inserts,
  pendingDeletes,
  pendingStructs,
  seedText,
} from "@edgeroom/testkit";

let open: HeadlessClient[] = [];
const track = (client: HeadlessClient): HeadlessClient => (open.push(client), client);
afterEach(() => {
  for (const client of open) client.socket.close(1000, "test over");
  open = [];
});

const stub = (room: string) => env.Room.get(env.Room.idFromName(room));

describe("a room whose stored log holds pending state (written by an earlier version)", () => {
  it("drops it on load, keeps the document, rewrites storage compacted and warns once", async () => {
    const room = "heal-on-load";
    const seed = seedText(40, "kept");
    await runInDurableObject(stub(room), (_instance, state) => {
      const store = new SqliteUpdateStore(state.storage);
      store.append(seed.update);
      store.append(pendingStructs(41, 42, 2_000));
      store.append(pendingDeletes(43, 2_000));
      store.flush();
    });
    const warn = vi.spyOn(console, "warn");
    try {
      const client = track(await connectToRoom(room));
      expect(client.text.toString()).toBe("kept");
      await client.type("!");
      const stored = await runInDurableObject(stub(room), (instance: Room, state) => {
        const sql = state.storage.sql;
        const doc = instance.room.document.doc;
        return {
          pending: doc.store.pendingStructs !== null || doc.store.pendingDs !== null,
          text: doc.getText("content").toString(),
          logRows: Number(sql.exec("SELECT COUNT(*) AS n FROM doc_updates").one()["n"]),
          stateBytes: Number(sql.exec("SELECT SUM(LENGTH(data)) AS n FROM doc_state_chunks").one()["n"]),
        };
      });
      expect(stored).toMatchObject({ pending: false, text: "kept!", logRows: 1 });
      expect(stored.stateBytes).toBeLessThan(seed.update.byteLength + 20);
      const healed = warn.mock.calls.filter((call) => String(call[0]).includes(room));
      expect(healed).toHaveLength(1);
    } finally {
      warn.mockRestore();
    }
  });
});

describe("a hostile socket flooding the worst frames within the limits", () => {
  it(
    "does not keep a bystander's edits waiting: p95 acknowledgement under a second (about 30 ms alone)",
    { timeout: 30_000 },
    async () => {
      const room = "bystander-room";
      const bystander = track(await connectToRoom(room));
      await bystander.type("ab");
      const base: Id = { client: bystander.doc.clientID, clock: 0 };
      const right: Id = { client: bystander.doc.clientID, clock: 1 };
      // Worst frames, built before the clock starts: 10,000-entry updates of each costly kind.
      let next = 10_000;
      let end = right;
      const worst = (n: number): Uint8Array => {
        const client = next++;
        switch (n % 4) {
          case 0:
            return crowd(base, right, [client], 10_000);
          case 1:
            return pendingStructs(client, client + 500_000, 10_000);
          case 2:
            return pendingDeletes(client, 10_000);
          default: {
            const items = Array.from({ length: 10_000 }, (_, i) => ({
              origin: i === 0 ? end : { client, clock: i - 1 },
              rightOrigin: null,
            }));
            end = { client, clock: 9_999 };
            return inserts([{ client, clock: 0, items }]);
          }
        }
      };
      const frames = Array.from({ length: 160 }, (_, n) => encodeSyncUpdate(worst(n)));
      let closed = false;
      const connectHostile = async () => {
        const socket = track(await connectToRoom(room));
        closed = false;
        void socket.closed.then(() => (closed = true));
        return socket;
      };
      let hostile = await connectHostile();
      const refusals = new Set<string>();
      let sent = 0;
      let reconnects = 0;
      let flooding = true;
      const flood = (async () => {
        while (flooding && sent < frames.length) {
          const frame = frames[sent++];
          try {
            if (frame && !closed) hostile.socket.send(frame);
          } catch {
            closed = true; // Closed by the room for abuse; the next socket takes over.
          }
          // The document lane's rate: 50 frames a second.
          await new Promise((resolve) => setTimeout(resolve, 20));
          if (closed) {
            for (const m of hostile.app) if (m.type === "doc-reject") refusals.add(m.code);
            hostile = await connectHostile();
            reconnects++;
          }
        }
      })();
      const latencies: number[] = [];
      for (let i = 0; i < 40; i++) {
        const start = Date.now();
        // Heartbeats keep the socket counted as alive however slow the machine is.
        if (i % 10 === 0) bystander.socket.send(HEARTBEAT_PING);
        await bystander.type("k");
        latencies.push(Date.now() - start);
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      flooding = false;
      await flood;
      latencies.sort((a, b) => a - b);
      const p95 = latencies[Math.floor(latencies.length * 0.95) - 1] ?? Infinity;
      for (const m of hostile.app) if (m.type === "doc-reject") refusals.add(m.code);
      console.log(
        `bystander acks under a flood of ${sent} worst frames (${reconnects} reconnects): p50 ${latencies[latencies.length >> 1]} ms, p95 ${p95} ms, max ${latencies.at(-1)} ms; hostile frames refused as ${[...refusals].join(", ")}`,
      );
      expect(bystander.app.filter((m) => m.type === "doc-reject")).toEqual([]);
      // The figure is what the log line above prints: alone, about 30 ms at p95 (the target is 100 ms).
      // The assertion checks behaviour, not speed: before the checks no ack came within 5 s, and the
      // bound leaves room for a loaded 2-core machine running the fuzz files beside this one.
      expect(p95).toBeLessThan(1000);
      const doc = await runInDurableObject(stub(room), (instance: Room) => {
        const d = instance.room.document.doc;
        return {
          pending: d.store.pendingStructs !== null || d.store.pendingDs !== null,
          text: d.getText("content").toString(),
        };
      });
      expect(doc.pending).toBe(false);
      expect(doc.text.startsWith("a")).toBe(true);
      expect(doc.text.replace(/x/g, "")).toBe(bystander.text.toString().replace(/x/g, ""));
    },
  );
});
