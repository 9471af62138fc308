import { abortAllDurableObjects, runInDurableObject, SELF } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { afterEach, describe, expect, it } from "vitest";
import { connectToRoom } from "../support/connect.ts";
import { snapshotsSettled } from "../support/snapshots-settled.ts";
import type { HeadlessClient } from "@edgeroom/testkit";

let open: HeadlessClient[] = [];

async function connect(room: string, options: { hello?: boolean } = {}): Promise<HeadlessClient> {
  const client = await connectToRoom(room, options);
  open.push(client);
  return client;
}

afterEach(() => {
  for (const client of open) client.socket.close(1000, "test over");
  open = [];
});

function storedRows(room: string): Promise<{ updates: number; chunks: number }> {
  return runInDurableObject(env.Room.get(env.Room.idFromName(room)), (_instance, state) => {
    const count = (table: string) =>
      state.storage.sql.exec<{ n: number }>(`SELECT COUNT(*) AS n FROM ${table}`).one().n;
    return { updates: count("doc_updates"), chunks: count("doc_state_chunks") };
  });
}

describe("room Durable Object", () => {
  it("syncs edits between two sockets and greets a late joiner with the whole document", async () => {
    const a = await connect("sync-room");
    const b = await connect("sync-room");
    await a.type("Hello ");
    await b.until(() => b.text.toString() === "Hello ");
    await b.type("world");
    await a.until(() => a.text.toString() === "Hello world");
    const late = await connect("sync-room");
    expect(late.text.toString()).toBe("Hello world");
  });

  it("has stored an update in SQLite by the time it is acknowledged", async () => {
    const a = await connect("durable-room");
    await a.type("kept");
    expect(await storedRows("durable-room")).toEqual({ updates: 1, chunks: 0 });
  });

  it("keeps the document after every socket leaves and the object is evicted", async () => {
    const a = await connect("evicted-room");
    await a.type("survives eviction");
    a.socket.close(1000, "bye");
    open = [];
    // Let the room finish handling the close (it compacts), then drop every instance from memory.
    await expect
      .poll(() => storedRows("evicted-room"), { timeout: 5_000 })
      .toEqual({ updates: 0, chunks: 1 });
    await snapshotsSettled(["sync-room", "durable-room", "evicted-room"]);
    await abortAllDurableObjects();
    const b = await connect("evicted-room");
    expect(b.text.toString()).toBe("survives eviction");
  });

  it("compacts the update log into one state when the last socket leaves", async () => {
    const a = await connect("compact-room");
    for (const word of ["a", "b", "c"]) await a.type(word);
    expect((await storedRows("compact-room")).updates).toBe(3);
    a.socket.close(1000, "bye");
    await expect
      .poll(() => storedRows("compact-room"), { timeout: 5_000 })
      .toEqual({ updates: 0, chunks: 1 });
    open = [];
    const b = await connect("compact-room");
    expect(b.text.toString()).toBe("abc");
  });

  it("never sends a text frame to a socket that did not say hello", async () => {
    const stock = await connect("lanes-room", { hello: false });
    const app = await connect("lanes-room");
    await app.type("typed by an app client");
    await stock.until(() => stock.text.toString() === "typed by an app client");
    await app.type("!");
    // Two edits plus the reply to the room's sync step 1, each acknowledged.
    expect(app.acks).toBe(3);
    expect(stock.textFrames).toEqual([]);
  });

  it("refuses a malformed update with a reason and leaves the document and other sockets unaffected", async () => {
    const a = await connect("bad-frame-room");
    const b = await connect("bad-frame-room");
    await a.type("intact");
    a.socket.send(new Uint8Array([0, 2, 200, 1, 2, 3]));
    await a.until(() => a.app.some((m) => m.type === "doc-reject" && m.code === "bad-frame"));
    await b.type("!");
    await a.until(() => a.text.toString() === "intact!");
    expect(b.text.toString()).toBe("intact!");
  });

  it("refuses a room name that is not allowed", async () => {
    const response = await SELF.fetch("http://edgeroom.test/parties/room/bad%20name!", {
      headers: { Upgrade: "websocket" },
    });
    expect(response.status).toBe(400);
  });

  it("removes a leaving socket's awareness from the others", async () => {
    const a = await connect("presence-room");
    const b = await connect("presence-room");
    a.setAwareness(101, 1, { user: { name: "Ada", color: "#225588" } });
    await b.until(() => b.awareness.has(101));
    a.socket.close(1000, "bye");
    await b.until(() => !b.awareness.has(101));
  });

  it("answers a close frame that carries no status code, so the client is not left waiting", async () => {
    // y-websocket and a bare `new WebSocket(...).close()` send no code; the room sees 1005.
    const a = await connectToRoom("close-without-code");
    const closed = new Promise<number>((resolve) =>
      a.socket.addEventListener("close", (e) => resolve(e.code)),
    );
    a.socket.close();
    const answer = await Promise.race([
      closed,
      new Promise<"no answer">((r) => setTimeout(r, 3_000, "no answer")),
    ]);
    expect(answer).not.toBe("no answer");
  });
});
