/**
 * A room's storage and memory stay bounded whatever its clients ask: chat
 * has a per-room quota (oldest trimmed), and history requests are limited
 * per socket and served one decoded version at a time.
 */
import { CloseCode, ErrorCode, LIMITS, type ServerAppMessage } from "@edgeroom/shared";
import { runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { afterEach, describe, expect, it } from "vitest";
import type { Room } from "../../src/durable/room-server.ts";
import { SqliteChatStore } from "../../src/durable/sqlite-chat-store.ts";
import { connectToRoom } from "../support/connect.ts";
import { snapshotsSettled } from "../support/snapshots-settled.ts";
import type { HeadlessClient } from "@edgeroom/testkit";

let open: HeadlessClient[] = [];
afterEach(() => {
  for (const client of open) client.socket.close(1000, "test over");
  open = [];
});
async function connect(room: string, name: string): Promise<HeadlessClient> {
  const client = await connectToRoom(room, { user: { name, color: "#225588" } });
  open.push(client);
  return client;
}
const stub = (room: string) => env.Room.get(env.Room.idFromName(room));

function chatTotals(room: string) {
  return runInDurableObject(stub(room), (_instance: Room, state) =>
    state.storage.sql
      .exec<{ n: number; bytes: number | null; oldest: number | null }>(
        `SELECT COUNT(*) AS n, SUM(LENGTH(CAST(text AS BLOB))) AS bytes, MIN(seq) AS oldest FROM chat_messages`,
      )
      .one(),
  );
}

describe("chat quota", () => {
  it(`keeps at most ${LIMITS.maxChatMessagesPerRoom} messages, trimming the oldest`, async () => {
    const room = "chat-quota-count";
    const extra = 25;
    await runInDurableObject(stub(room), (_instance: Room, state) => {
      const store = new SqliteChatStore(state.storage.sql);
      const author = { name: "Ada", color: "#225588" };
      for (let i = 0; i < LIMITS.maxChatMessagesPerRoom + extra; i++) {
        store.add({ id: `bulk-${String(i).padStart(8, "0")}`, at: i, author, text: `message ${i}` });
      }
    });
    expect(await chatTotals(room)).toMatchObject({ n: LIMITS.maxChatMessagesPerRoom, oldest: extra + 1 });
    // The room object starts with its first socket, after the bulk insert, and enforces the quota itself.
    const ada = await connect(room, "Ada");
    const sent = await ada.chat("after-quota-1", "still accepted");
    expect(sent.seq).toBe(LIMITS.maxChatMessagesPerRoom + extra + 1);
    expect(await chatTotals(room)).toMatchObject({ n: LIMITS.maxChatMessagesPerRoom, oldest: extra + 2 });
    expect((await ada.history()).messages.at(-1)?.text).toBe("still accepted");
  });

  it(`keeps at most ${LIMITS.maxChatBytesPerRoom} bytes of chat text`, async () => {
    const room = "chat-quota-bytes";
    const long = "é".repeat(LIMITS.maxChatMessageLength);
    const perMessage = new TextEncoder().encode(long).byteLength;
    const messages = Math.ceil(LIMITS.maxChatBytesPerRoom / perMessage) + 20;
    await runInDurableObject(stub(room), (_instance: Room, state) => {
      const store = new SqliteChatStore(state.storage.sql);
      for (let i = 0; i < messages; i++) {
        store.add({
          id: `long-${String(i).padStart(8, "0")}`,
          at: i,
          author: { name: "A", color: "#225588" },
          text: long,
        });
      }
    });
    const before = await chatTotals(room);
    expect(before.bytes).toBeLessThanOrEqual(LIMITS.maxChatBytesPerRoom);
    const ada = await connect(room, "Ada");
    await ada.chat("long-after-quota", long);
    const after = await chatTotals(room);
    expect(after.bytes).toBeLessThanOrEqual(LIMITS.maxChatBytesPerRoom);
    expect(after.oldest).toBeGreaterThan(before.oldest ?? 0);
  });
});

describe("history requests", () => {
  it("answers a flood of version requests with a few versions, then closes the flooder; others are served", async () => {
    const room = "history-flood";
    const ada = await connect(room, "Ada");
    await ada.type("a version worth reading ".repeat(200));
    ada.socket.close(1000, "leave so the snapshot is written now");
    open = [];
    await snapshotsSettled([room]);
    const flooder = await connect(room, "Mallory");
    const bystander = await connect(room, "Bo");
    flooder.sendApp({ type: "versions-list" });
    await flooder.until(() => flooder.app.some((m) => m.type === "versions" && m.versions.length > 0));
    const versions = flooder.app.find(
      (m): m is Extract<ServerAppMessage, { type: "versions" }> => m.type === "versions",
    );
    const at = versions?.versions[0]?.at ?? 0;

    for (let i = 0; i < 200; i++) flooder.sendApp({ type: "version-get", at });
    const closed = await flooder.closed;
    expect(closed.code).toBe(CloseCode.tooManyMessages);
    const served = flooder.app.filter((m) => m.type === "version").length;
    expect(served).toBeGreaterThanOrEqual(1);
    // The history bucket's burst bounds the answers, and a socket waits for one answer at a time.
    expect(served).toBeLessThanOrEqual(LIMITS.rateLimits.history.burst);
    expect(flooder.app.some((m) => m.type === "error" && m.code === ErrorCode.rateLimited)).toBe(true);

    await bystander.type(" and more");
    bystander.sendApp({ type: "version-get", at });
    await bystander.until(() => bystander.app.some((m) => m.type === "version"));
    expect(await runInDurableObject(stub(room), (instance: Room) => instance.versionReader.waiting)).toBe(0);
  });
});
