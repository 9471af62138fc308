import {
  documentHash,
  DOCUMENT_TEXT,
  encodeSyncStep2,
  encodeSyncUpdate,
  LIMITS,
  parseYFrame,
  PROTOCOL_VERSION,
  type ServerAppMessage,
} from "@edgeroom/shared";
import { helloFrame } from "@edgeroom/testkit";
import * as Y from "yjs";
import { describe, expect, it } from "vitest";
import { MemoryChatStore } from "../../src/room/chat-store.ts";
import { NEW_PEER, type PeerState, type Reaction } from "../../src/room/reaction.ts";
import { RoomLogic } from "../../src/room/room-logic.ts";
import { MemoryUpdateStore } from "../../src/room/update-store.ts";

const ada = { name: "Ada", color: "#c2255c" };

function newRoom(now = () => 1_700_000_000_000) {
  const chat = new MemoryChatStore();
  return { room: new RoomLogic({ updates: new MemoryUpdateStore(), chat }, now), chat };
}

function hello(room: RoomLogic, user = ada, peerId = "a"): PeerState {
  const reaction = room.receiveText(peerId, NEW_PEER, helloFrame({ user }));
  if (!reaction.peer) throw new Error("hello did not set peer state");
  return reaction.peer;
}

function apps(reaction: Reaction, to: "sender" | "others"): ServerAppMessage[] {
  return reaction.out.flatMap((o) => (o.to === to && "app" in o ? [o.app] : []));
}

const send = (room: RoomLogic, peer: PeerState, id: string, text: string, peerId = "a") =>
  room.receiveText(peerId, peer, JSON.stringify({ type: "chat-send", id, text }));

describe("hello", () => {
  it("opens the app lane and remembers who the socket says it is", () => {
    const { room } = newRoom();
    expect(hello(room)).toEqual({ appLane: true, user: ada, awareness: [] });
  });

  it("closes a client that speaks another protocol version", () => {
    const { room } = newRoom();
    const { out } = room.receiveText("a", NEW_PEER, helloFrame({ v: PROTOCOL_VERSION + 1 }));
    expect(out[0]).toMatchObject({ close: { code: 4001 } });
  });

  it("answers malformed text with an error on the app lane and silence otherwise, counting each", () => {
    const { room } = newRoom();
    const silent = room.receiveText("a", NEW_PEER, "{not json");
    expect(silent.out).toEqual([]);
    expect(silent.peer?.refused).toBe(1);
    const reply = room.receiveText("a", hello(room), "{not json");
    expect(apps(reply, "sender")).toEqual([{ type: "error", code: "bad-message", message: "not JSON" }]);
    const again = room.receiveText("a", reply.peer ?? NEW_PEER, '{"type":"pointer","at":{"pos":-5}}');
    expect(again.peer?.refused).toBe(2);
    expect(room.pointers.hasPending).toBe(false);
    expect(room.receiveBinary("a", NEW_PEER, new Uint8Array([9])).peer?.refused).toBe(1);
  });
});

describe("chat", () => {
  it("numbers messages in order, acknowledges the sender and relays to the others", () => {
    let clock = 1000;
    const { room } = newRoom(() => clock++);
    const peer = hello(room);
    const first = send(room, peer, "msg-000001", "hello");
    const second = send(room, peer, "msg-000002", "again");
    expect(apps(first, "sender")).toEqual([
      { type: "chat-ack", message: { id: "msg-000001", seq: 1, at: 1000, author: ada, text: "hello" } },
    ]);
    expect(apps(second, "others")).toEqual([
      { type: "chat-message", message: { id: "msg-000002", seq: 2, at: 1001, author: ada, text: "again" } },
    ]);
  });

  it("stores a retried id once and relays it once", () => {
    const { room, chat } = newRoom();
    const peer = hello(room);
    send(room, peer, "retry-me-1", "once");
    const retry = send(room, peer, "retry-me-1", "once");
    expect(apps(retry, "sender")).toMatchObject([{ type: "chat-ack", message: { seq: 1 } }]);
    expect(apps(retry, "others")).toEqual([]);
    expect(chat.after(0, 10)).toHaveLength(1);
  });

  it("refuses bad messages with a reason and stores nothing", () => {
    const { room, chat } = newRoom();
    const peer = hello(room);
    const bad = [
      { type: "chat-send", id: "short", text: "x" },
      { type: "chat-send", id: "good-id-123", text: "   " },
      { type: "chat-send", id: "good-id-123", text: "x".repeat(2001) },
      { type: "chat-send", id: "good-id-123", text: 42 },
    ];
    for (const message of bad) {
      const reply = apps(room.receiveText("a", peer, JSON.stringify(message)), "sender");
      expect(reply).toMatchObject([{ type: "error", code: "bad-message" }]);
    }
    const anonymous = room.receiveText(
      "b",
      { appLane: true, awareness: [] },
      '{"type":"chat-send","id":"anon-0001","text":"hi"}',
    );
    expect(apps(anonymous, "sender")).toMatchObject([{ type: "chat-reject", code: "no-identity" }]);
    expect(chat.after(0, 10)).toEqual([]);
  });

  it("pages history: latest page, earlier pages, and catch-up after a sequence", () => {
    const { room } = newRoom();
    const peer = hello(room);
    for (let i = 1; i <= 120; i++) send(room, peer, `message-${String(i).padStart(4, "0")}`, `#${i}`);
    const sync = (request: object) =>
      apps(room.receiveText("a", peer, JSON.stringify({ type: "chat-sync", ...request })), "sender")[0];

    const latest = sync({});
    expect(latest).toMatchObject({ request: "latest", hasEarlier: true, more: false });
    const latestSeqs = latest?.type === "chat-history" ? latest.messages.map((m) => m.seq) : [];
    expect(latestSeqs).toEqual(Array.from({ length: 50 }, (_, i) => 71 + i));

    const earlier = sync({ before: 71 });
    expect(earlier?.type === "chat-history" && earlier.messages.map((m) => m.seq)[0]).toBe(21);
    const earliest = sync({ before: 21 });
    expect(earliest).toMatchObject({ hasEarlier: false });
    expect(earliest?.type === "chat-history" && earliest.messages).toHaveLength(20);

    const caughtUp = sync({ after: 100 });
    expect(caughtUp?.type === "chat-history" && caughtUp.messages.map((m) => m.seq)).toEqual(
      Array.from({ length: 20 }, (_, i) => 101 + i),
    );
    expect(caughtUp).toMatchObject({ more: false });
  });
});

describe("typing", () => {
  it("relays leases to the others, ends them on send and on leave, and never to the typist", () => {
    const { room } = newRoom();
    let peer = hello(room);
    const start = room.receiveText("a", peer, '{"type":"typing","active":true}');
    expect(apps(start, "others")).toEqual([
      { type: "typing", key: "a", user: ada, active: true, ttlMs: 5000 },
    ]);
    expect(apps(start, "sender")).toEqual([]);
    peer = start.peer ?? peer;

    const sent = send(room, peer, "typed-001", "done");
    expect(apps(sent, "others")).toContainEqual({
      type: "typing",
      key: "a",
      user: ada,
      active: false,
      ttlMs: 5000,
    });
    peer = sent.peer ?? peer;
    expect(peer.typing).toBe(false);

    peer = room.receiveText("a", peer, '{"type":"typing","active":true}').peer ?? peer;
    expect(apps(room.leave("a", peer), "others")).toEqual([
      { type: "typing", key: "a", user: ada, active: false, ttlMs: 5000 },
    ]);
    expect(room.leave("b", { appLane: true, awareness: [] }).out).toEqual([]);
  });
});

describe("saved versions", () => {
  const versions = [{ at: 1_800_000_000_000, bytes: 42, editors: ["Ada"] }];
  const roomWithVersions = () =>
    new RoomLogic({
      updates: new MemoryUpdateStore(),
      chat: new MemoryChatStore(),
      versions: { versions: () => versions },
    });

  it("lists them, and hands a known version's read to the shell", () => {
    const room = roomWithVersions();
    const peer = hello(room);
    const list = room.receiveText("a", peer, JSON.stringify({ type: "versions-list" }));
    expect(apps(list, "sender")).toEqual([{ type: "versions", versions }]);
    const get = room.receiveText("a", peer, JSON.stringify({ type: "version-get", at: versions[0]?.at }));
    expect(get).toEqual({ out: [], versionRequested: versions[0]?.at });
  });

  it("refuses an unknown version with a reason", () => {
    const room = roomWithVersions();
    const reply = room.receiveText("a", hello(room), JSON.stringify({ type: "version-get", at: 5 }));
    expect(apps(reply, "sender")).toMatchObject([{ type: "error", code: "version-not-found" }]);
    expect(reply.versionRequested).toBeUndefined();
  });

  it("tells a new client the document's size in its welcome, then the room's name", () => {
    const room = roomWithVersions();
    const reaction = room.receiveText("a", NEW_PEER, helloFrame());
    expect(apps(reaction, "sender")).toEqual([
      { type: "welcome", v: PROTOCOL_VERSION, docBytes: 0 },
      { type: "room-name", name: "" },
    ]);
  });
});

describe("rate-limited document updates", () => {
  it("answers each dropped update with its own doc-reject, and a doc-check then brings back what was dropped", () => {
    const store = new MemoryUpdateStore();
    const room = new RoomLogic({ updates: store, chat: new MemoryChatStore() }, Date.now, () => 0);
    const peer = hello(room);
    const client = new Y.Doc();
    const frames: Uint8Array[] = [];
    client.on("update", (u: Uint8Array) => frames.push(encodeSyncUpdate(u)));
    const extra = 10;
    for (let i = 0; i < LIMITS.rateLimits.document.burst + extra; i++) {
      client.getText(DOCUMENT_TEXT).insert(i, "x");
    }
    const answers = frames.map((f) => apps(room.receiveBinary("a", peer, f), "sender"));
    // Exactly one answer per update frame (the first drop also carries a one-off rate-limit error).
    const verdicts = answers.map((a) => a.filter((m) => m.type === "doc-ack" || m.type === "doc-reject"));
    expect(verdicts.every((v) => v.length === 1)).toBe(true);
    const rejects = verdicts.flat().filter((m) => m.type === "doc-reject");
    expect(rejects).toHaveLength(extra);
    expect(rejects.every((m) => m.type === "doc-reject" && m.code === "rate-limited")).toBe(true);

    // The client's later doc-check finds the mismatch; the room asks with its state vector, the client answers.
    const server = new Y.Doc();
    for (const u of store.load()) Y.applyUpdate(server, u);
    expect(server.getText(DOCUMENT_TEXT).length).toBe(LIMITS.rateLimits.document.burst);
    const later = new RoomLogic({ updates: store, chat: new MemoryChatStore() }, Date.now, () => 60_000);
    const check = later.receiveText(
      "a",
      peer,
      JSON.stringify({ type: "doc-check", hash: documentHash(client) }),
    );
    expect(apps(check, "sender")).toEqual([{ type: "doc-check", match: false }]);
    const step1 = check.out.find((o) => "binary" in o);
    const parsed = step1 && "binary" in step1 ? parseYFrame(step1.binary) : undefined;
    if (parsed?.ok !== true || parsed.value.kind !== "sync-step1") throw new Error("expected a sync step 1");
    later.receiveBinary("a", peer, encodeSyncStep2(client, parsed.value.stateVector));
    const repaired = new Y.Doc();
    for (const u of store.load()) Y.applyUpdate(repaired, u);
    expect(repaired.getText(DOCUMENT_TEXT).toString()).toBe(client.getText(DOCUMENT_TEXT).toString());
  });
});
