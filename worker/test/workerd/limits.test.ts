import {
  CLOSE_REASONS,
  CloseCode,
  encodeAwarenessFrame,
  encodeSyncUpdate,
  ErrorCode,
  LIMITS,
} from "@edgeroom/shared";
import { runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { afterEach, describe, expect, it } from "vitest";
import * as Y from "yjs";
import type { Room } from "../../src/durable/room-server.ts";
import { connectToRoom, openSocket } from "../support/connect.ts";
import type { HeadlessClient } from "@edgeroom/testkit";

let open: HeadlessClient[] = [];
const track = (client: HeadlessClient): HeadlessClient => (open.push(client), client);
afterEach(() => {
  for (const client of open) client.socket.close(1000, "test over");
  open = [];
});

function retained(room: string) {
  return runInDurableObject(env.Room.get(env.Room.idFromName(room)), (instance: Room) =>
    instance.room.retainedPerSocket(),
  );
}

describe("room capacity", () => {
  it(
    `closes socket ${LIMITS.maxConnectionsPerRoom + 1} with 4005 and keeps serving the others`,
    { timeout: 60_000 },
    async () => {
      const room = "full-room";
      const inside: HeadlessClient[] = [];
      inside.push(track(await connectToRoom(room)), track(await connectToRoom(room)));
      // In batches: one at a time, a room's worth of sockets takes longer than a test may.
      for (let i = 2; i < LIMITS.maxConnectionsPerRoom; i += 50) {
        const batch = Math.min(50, LIMITS.maxConnectionsPerRoom - i);
        const opened = await Promise.all(
          Array.from({ length: batch }, () => connectToRoom(room, { hello: false })),
        );
        inside.push(...opened.map(track));
      }
      const refused = track(await openSocket(room));
      expect(await refused.closed).toEqual({
        code: CloseCode.roomFull,
        reason: CLOSE_REASONS[CloseCode.roomFull].reason,
      });
      const [a, b] = inside as [HeadlessClient, HeadlessClient];
      await a.type("still served");
      await b.until(() => b.text.toString() === "still served");
      inside.at(-1)?.socket.close(1000, "making room");
      // Until the room has taken the close, a newcomer is still refused: each try ends in sync or a close.
      const tryJoin = async () => {
        const client = track(await openSocket(room));
        return Promise.race([client.synced.then(() => true), client.closed.then(() => false)]);
      };
      await expect.poll(tryJoin, { timeout: 5_000 }).toBe(true);
    },
  );
});

describe("rate limits", () => {
  it("drops a flood, tells the sender once, closes it with 4029 and leaves the room serving others", async () => {
    const room = "flood-room";
    const flooder = track(await connectToRoom(room));
    const other = track(await connectToRoom(room));
    const { burst } = LIMITS.rateLimits.presence;
    const frames = burst + LIMITS.overBudgetStrikes.burst + 50;
    for (let clock = 1; clock <= frames; clock++) {
      flooder.socket.send(encodeAwarenessFrame([{ clientId: 77, clock, stateJson: '{"n":1}' }]));
    }
    expect((await flooder.closed).code).toBe(CloseCode.tooManyMessages);
    const told = flooder.app.filter((m) => m.type === "error" && m.code === ErrorCode.rateLimited);
    // Once per streak of drops: a refill between frames may start a new streak.
    expect(told.length).toBeGreaterThanOrEqual(1);
    expect(told.length).toBeLessThan(frames / 10);
    // The others heard at most the budget's worth of the flood, and the room still syncs them.
    await other.type("unbothered");
    const late = track(await connectToRoom(room));
    expect(late.text.toString()).toBe("unbothered");
    await expect.poll(() => retained(room).then((r) => r.guards), { timeout: 5_000 }).toBe(2);
  });

  it("closes a socket that keeps sending malformed frames with 4002", async () => {
    const bad = track(await connectToRoom("malformed-room"));
    for (let i = 0; i <= LIMITS.malformedStrikes.burst + 5; i++)
      bad.socket.send(new Uint8Array([0, 2, 200, 1]));
    expect(await bad.closed).toEqual({
      code: CloseCode.badFrames,
      reason: CLOSE_REASONS[CloseCode.badFrames].reason,
    });
  });
});

describe("document check", () => {
  it("answers a matching hash with match and a stale one with a sync step 1", async () => {
    const a = track(await connectToRoom("check-room"));
    await a.type("checked");
    const { documentHash } = await import("@edgeroom/shared");
    a.sendApp({ type: "doc-check", hash: documentHash(a.doc) });
    await a.until(() => a.app.some((m) => m.type === "doc-check"));
    expect(a.app.find((m) => m.type === "doc-check")).toEqual({ type: "doc-check", match: true });
    const frames = a.binaryFrames.length;
    a.sendApp({ type: "doc-check", hash: "0".repeat(64) });
    await a.until(() => a.app.filter((m) => m.type === "doc-check").length === 2);
    expect(a.app.at(-1)).toEqual({ type: "doc-check", match: false });
    await a.until(() => a.binaryFrames.length > frames);
    expect(a.binaryFrames[frames]?.[1]).toBe(0);
  });
});

describe("a flood of valid updates", () => {
  it("keeps every document update it accepted and drops the rest whole", async () => {
    const room = "update-flood-room";
    const writer = track(await connectToRoom(room, { hello: false }));
    const source = new Y.Doc();
    const updates: Uint8Array[] = [];
    source.on("update", (u: Uint8Array) => updates.push(u));
    for (let i = 0; i < 50; i++) source.getText("content").insert(0, "x");
    for (const update of updates) writer.socket.send(encodeSyncUpdate(update));
    const reader = track(await connectToRoom(room));
    await reader.until(() => reader.text.length === 50);
  });
});

describe("whole documents in one frame", () => {
  it("takes a document with tens of thousands of structs from a client and gives it whole to a newcomer", async () => {
    const room = "many-structs-room";
    // Typing at the start of the text, keystroke by keystroke, leaves one struct per character.
    const doc = new Y.Doc();
    const text = doc.getText("content");
    for (let i = 0; i < 30_000; i++) text.insert(0, String.fromCharCode(97 + (i % 26)));
    expect(Y.decodeUpdate(Y.encodeStateAsUpdate(doc)).structs.length).toBeGreaterThan(20_000);

    const writer = track(await connectToRoom(room, { doc, user: { name: "Ada", color: "#225588" } }));
    await writer.settled();
    expect(writer.app.filter((m) => m.type === "doc-reject")).toEqual([]);
    const newcomer = track(await connectToRoom(room));
    expect(newcomer.text.toString()).toBe(text.toString());

    // Only a socket's first sync step 2 may be that large: the same state as a plain update is refused.
    const other = new Y.Doc();
    for (let i = 0; i < 30_000; i++) other.getText("content").insert(0, "z");
    newcomer.socket.send(encodeSyncUpdate(Y.encodeStateAsUpdate(other)));
    await newcomer.until(() => newcomer.app.some((m) => m.type === "doc-reject"));
    expect(newcomer.text.toString()).toBe(text.toString());
  });
});
