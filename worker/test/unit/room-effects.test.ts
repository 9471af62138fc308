/**
 * The room's events answered with effects: what the Durable Object shell
 * carries out. Each rule that used to live in the shell (admission, turning
 * private, token expiry, dead sockets, the alarm plan, version replies, the
 * `versions` broadcast, editor names, pointer ticks) is checked here in Node.
 */
import {
  CloseCode,
  encodeAwarenessFrame,
  encodeSyncUpdate,
  ErrorCode,
  LIMITS,
  PROTOCOL_VERSION,
  type VerifiedIdentity,
} from "@edgeroom/shared";
import * as Y from "yjs";
import { describe, expect, it, vi } from "vitest";
import type { Admission } from "../../src/room/admission.ts";
import { MemoryChatStore } from "../../src/room/chat-store.ts";
import { editorName } from "../../src/room/editor-name.ts";
import type { Effect, RoomSocket } from "../../src/room/effects.ts";
import { NEW_PEER, type PeerState } from "../../src/room/reaction.ts";
import { RoomLogic } from "../../src/room/room-logic.ts";
import { hasGoneSilent } from "../../src/room/socket-checks.ts";
import { MemoryUpdateStore } from "../../src/room/update-store.ts";

const NOW = 1_800_000_000_000;
const ada = { name: "Ada", color: "#c2255c" };
const versions = [{ at: NOW - 60_000, bytes: 42, editors: ["Ada"] }];
const identity: VerifiedIdentity = { id: "ada-000001", name: "Ada", color: "#c2255c", scope: "edit" };
const open: Admission = { ok: true, verified: undefined, expiresAt: undefined, madePrivate: false };

function newRoom(store = new MemoryUpdateStore()): RoomLogic {
  return new RoomLogic(
    { updates: store, chat: new MemoryChatStore(), versions: { versions: () => versions } },
    () => NOW,
    () => NOW,
  );
}

function kinds(effects: readonly Effect[]): string[] {
  return effects.map((e) => e.kind);
}

function only<K extends Effect["kind"]>(effects: readonly Effect[], kind: K): Extract<Effect, { kind: K }>[] {
  return effects.filter((e): e is Extract<Effect, { kind: K }> => e.kind === kind);
}

/** A socket that said hello, as the shell would report it. */
function helloPeer(room: RoomLogic, id: string, peer: PeerState = NEW_PEER): PeerState {
  const hello = JSON.stringify({ type: "hello", v: PROTOCOL_VERSION, user: ada });
  const set = only(room.received(id, peer, hello, NOW), "set-peer")[0];
  if (!set) throw new Error("hello set no peer state");
  return set.peer;
}

function oneUpdate(text: string): Uint8Array {
  const doc = new Y.Doc();
  let update: Uint8Array = new Uint8Array();
  doc.on("update", (u: Uint8Array) => (update = u));
  doc.getText("content").insert(0, text);
  return encodeSyncUpdate(update);
}

describe("a socket opens", () => {
  it("is closed with the door's code when the door refused it", () => {
    const effects = newRoom().opened("a", { ok: false, code: CloseCode.tokenInvalid }, [], NOW);
    expect(effects).toEqual([
      { kind: "close", socket: "a", code: CloseCode.tokenInvalid, reason: expect.any(String) },
    ]);
  });

  it("gets its state and the room's sync step 1, and no alarm (its hello asks for check-ins)", () => {
    const effects = newRoom().opened("a", open, [], NOW);
    expect(kinds(effects)).toEqual(["set-peer", "send"]);
    expect(only(effects, "set-peer")[0]?.peer).toEqual({ ...NEW_PEER, since: NOW });
  });

  it("wakes the room by its token's expiry when that comes before the sweep", () => {
    const expiresAt = NOW + 1_000;
    const effects = newRoom().opened("a", { ...open, verified: identity, expiresAt }, [], NOW);
    expect(only(effects, "set-peer")[0]?.peer).toMatchObject({
      verified: identity,
      tokenExpiresAt: expiresAt,
    });
    expect(only(effects, "wake-by")[0]?.at).toBe(expiresAt);
  });

  it("turning the room private evicts every tokenless socket and notes the change for a snapshot", () => {
    const others: RoomSocket[] = [
      { id: "anon", peer: { appLane: true, awareness: [] } },
      { id: "token", peer: { appLane: true, awareness: [], verified: identity } },
    ];
    const effects = newRoom().opened("b", { ...open, verified: identity, madePrivate: true }, others, NOW);
    expect(only(effects, "evict")).toEqual([
      { kind: "evict", socket: "anon", code: CloseCode.tokenRequired },
    ]);
    expect(kinds(effects).slice(0, 2)).toEqual(["evict", "note-access-change"]);
  });

  it("refuses one socket more than the room holds, counting only those that stay", () => {
    const crowd: RoomSocket[] = Array.from({ length: LIMITS.maxConnectionsPerRoom }, (_, i) => ({
      id: `s${i}`,
      peer: NEW_PEER,
    }));
    const full = newRoom().opened("late", open, crowd, NOW);
    expect(full.at(-1)).toMatchObject({ kind: "close", socket: "late", code: CloseCode.roomFull });
    const privateNow = newRoom().opened(
      "late",
      { ...open, verified: identity, madePrivate: true },
      crowd,
      NOW,
    );
    expect(only(privateNow, "close")).toEqual([]);
    expect(only(privateNow, "evict")).toHaveLength(LIMITS.maxConnectionsPerRoom);
  });
});

describe("a frame arrives", () => {
  it("from a socket whose token expired: evicted, the frame unread", () => {
    const room = newRoom();
    const peer: PeerState = { appLane: true, awareness: [], tokenExpiresAt: NOW };
    const effects = room.received("a", peer, oneUpdate("late"), NOW);
    expect(effects).toEqual([{ kind: "evict", socket: "a", code: CloseCode.tokenExpired }]);
    expect(room.document.doc.getText("content").toString()).toBe("");
  });

  it("an edit is relayed to the others, acknowledged, and noted for a snapshot by its editor's name", () => {
    const room = newRoom();
    const peer = helloPeer(room, "a");
    const effects = room.received("a", peer, oneUpdate("hi"), NOW);
    expect(only(effects, "broadcast")).toMatchObject([{ lane: "all", except: "a" }]);
    expect(only(effects, "send")).toMatchObject([{ socket: "a", frame: { type: "doc-ack" } }]);
    expect(only(effects, "note-edit")).toEqual([{ kind: "note-edit", editor: "Ada" }]);
  });

  it("a refused frame is counted on the socket, without a type string telling it apart", () => {
    const room = newRoom();
    const peer: PeerState = { appLane: true, awareness: [] };
    const chat = JSON.stringify({ type: "chat-send", id: "msg-0000001", text: "hi" });
    const effects = room.received("a", peer, chat, NOW);
    expect(only(effects, "send")).toMatchObject([
      { frame: { type: "chat-reject", code: ErrorCode.noIdentity } },
    ]);
    expect(only(effects, "set-peer")[0]?.peer.refused).toBe(1);
  });

  it("a known version is handed to the host to read; an unknown one is refused at once", () => {
    const room = newRoom();
    const peer = helloPeer(room, "a");
    const known = room.received("a", peer, JSON.stringify({ type: "version-get", at: versions[0]?.at }), NOW);
    expect(known).toEqual([{ kind: "read-version", socket: "a", at: versions[0]?.at }]);
    const unknown = room.received("a", peer, JSON.stringify({ type: "version-get", at: 5 }), NOW);
    expect(kinds(unknown)).not.toContain("read-version");
    expect(only(unknown, "send")).toMatchObject([
      { frame: { type: "error", code: ErrorCode.versionNotFound } },
    ]);
  });

  it("a pointer move asks for one tick later; the tick sends each app-lane socket the others' moves", () => {
    const room = newRoom();
    const a = helloPeer(room, "a");
    const b = helloPeer(room, "b");
    const move = JSON.stringify({ type: "pointer", at: { pos: 3, dx: 0, dy: 0 } });
    expect(only(room.received("a", a, move, NOW), "flush-pointers")).toEqual([
      { kind: "flush-pointers", afterMs: LIMITS.pointerTickMs },
    ]);
    expect(b.appLane).toBe(true);
    const tick = room.pointerTick(["a", "b"]);
    expect(tick).toMatchObject([{ kind: "send", socket: "b", frame: { type: "pointers" } }]);
    expect(room.pointerTick(["b"])).toEqual([]);
  });

  it("sends every socket that did not move the very same pointers message, so it is encoded once", () => {
    const room = newRoom();
    const a = helloPeer(room, "a");
    room.received("a", a, JSON.stringify({ type: "pointer", at: { pos: 1, dx: 0, dy: 0 } }), NOW);
    const watchers = Array.from({ length: 50 }, (_, i) => `w${i}`);
    const sends = room.pointerTick(["a", ...watchers]);
    expect(sends).toHaveLength(50);
    const frames = new Set(sends.map((effect) => (effect.kind === "send" ? effect.frame : undefined)));
    expect(frames.size).toBe(1);
  });
});

describe("slow reads come back", () => {
  it("a version read becomes the reply its answer calls for", () => {
    const room = newRoom();
    const reply = (answer: Parameters<RoomLogic["versionRead"]>[2]) => room.versionRead("a", 7, answer)[0];
    expect(reply({ kind: "text", text: "hello" })).toEqual({
      kind: "send",
      socket: "a",
      frame: { type: "version", at: 7, text: "hello" },
    });
    expect(reply({ kind: "not-found" })).toMatchObject({ frame: { code: ErrorCode.versionNotFound } });
    expect(reply({ kind: "busy" })).toMatchObject({ frame: { code: ErrorCode.rateLimited } });
    const logged = vi.spyOn(console, "error").mockImplementation(() => {});
    expect(reply({ kind: "failed", error: new Error("R2 down") })).toMatchObject({
      frame: { code: ErrorCode.versionsUnavailable },
    });
    expect(logged).toHaveBeenCalledOnce();
    logged.mockRestore();
  });

  it("a saved snapshot is announced to everyone on the app lane", () => {
    expect(newRoom().versionsSaved(versions)).toEqual([
      { kind: "broadcast", lane: "app", frame: { type: "versions", versions } },
    ]);
  });
});

describe("a socket closes", () => {
  it("its awareness is removed for the others; the last one out compacts and flushes the snapshot", () => {
    const store = new MemoryUpdateStore();
    const room = newRoom(store);
    const peer = helloPeer(room, "a");
    room.received("a", peer, oneUpdate("hi"), NOW);
    const withAwareness = only(
      room.received("a", peer, encodeAwarenessFrame([{ clientId: 7, clock: 1, stateJson: "{}" }]), NOW),
      "set-peer",
    )[0]?.peer;
    expect(store.logLength()).toBe(1);
    const stillOthers = room.closed("a", withAwareness ?? peer, 1);
    expect(only(stillOthers, "broadcast")).toMatchObject([{ lane: "all", except: "a" }]);
    expect(kinds(stillOthers)).not.toContain("flush-snapshot-soon");
    expect(store.logLength()).toBe(1);
    expect(kinds(room.closed("a", peer, 0))).toContain("flush-snapshot-soon");
    expect(store.logLength()).toBe(0);
  });

  it("an evicted socket's state is cleared, so its later close frame undoes nothing twice", () => {
    const peer: PeerState = { appLane: true, typing: true, user: ada, awareness: [] };
    const effects = newRoom().closed("a", peer, 2, true);
    expect(only(effects, "set-peer")).toEqual([
      { kind: "set-peer", socket: "a", peer: { ...peer, appLane: false, typing: false, awareness: [] } },
    ]);
    expect(only(newRoom().closed("a", peer, 2), "set-peer")).toEqual([]);
  });
});

describe("the alarm", () => {
  const beating = (id: string, peer: Partial<PeerState> = {}): RoomSocket => ({
    id,
    peer: { appLane: true, awareness: [], since: NOW - 60_000, ...peer },
    lastHeartbeat: NOW - 1_000,
  });

  it("evicts silent and expired sockets, asks two for the next check-in, saves a due snapshot, and plans the backing alarm", () => {
    const sockets: RoomSocket[] = [
      beating("alive"),
      { ...beating("silent"), lastHeartbeat: NOW - LIMITS.heartbeatTimeoutMs - 1 },
      beating("expired", { tokenExpiresAt: NOW }),
      { ...beating("later", { tokenExpiresAt: NOW + 2_000 }), lastHeartbeat: NOW - 500 },
    ];
    const effects = newRoom().alarm(NOW, sockets);
    expect(effects.slice(0, 2)).toEqual([
      { kind: "evict", socket: "silent", code: CloseCode.heartbeatTimeout },
      { kind: "evict", socket: "expired", code: CloseCode.tokenExpired },
    ]);
    // The two that stay are asked to check in (in either order).
    const asked = effects.slice(2, 4).map((e) => (e.kind === "send" ? e.socket : e.kind));
    expect(asked.sort()).toEqual(["alive", "later"]);
    expect(effects.slice(4)).toEqual([
      { kind: "save-snapshot" },
      { kind: "plan-alarm", sweepAfterMs: LIMITS.sweepFallbackMs, tokenExpiresAt: NOW + 2_000 },
    ]);
  });

  it("plans no socket check once nobody is left", () => {
    const silent = { ...beating("silent"), lastHeartbeat: undefined };
    const none = { kind: "plan-alarm", sweepAfterMs: undefined, tokenExpiresAt: undefined };
    expect(newRoom().alarm(NOW, [silent]).at(-1)).toEqual(none);
    expect(newRoom().alarm(NOW, []).at(-1)).toEqual(none);
  });
});

describe("socket checks", () => {
  it("a socket is silent once neither a heartbeat nor its connect is within the timeout", () => {
    const peer: PeerState = { appLane: true, awareness: [], since: NOW - 60_000 };
    const late = NOW - LIMITS.heartbeatTimeoutMs - 1;
    expect(hasGoneSilent({ id: "a", peer, lastHeartbeat: late }, NOW)).toBe(true);
    expect(hasGoneSilent({ id: "a", peer, lastHeartbeat: NOW - LIMITS.heartbeatTimeoutMs }, NOW)).toBe(false);
    expect(hasGoneSilent({ id: "a", peer: { ...peer, since: NOW - 1_000 } }, NOW)).toBe(false);
    // Stock clients send no heartbeat; they leave by closing.
    expect(hasGoneSilent({ id: "a", peer: { ...peer, appLane: false } }, NOW)).toBe(false);
  });
});

describe("editor names", () => {
  it("the hello name, else the name stock clients publish in awareness, else Someone", () => {
    const awareness = [
      { clientId: 1, clock: 1, stateJson: JSON.stringify({ user: { name: "Bo", color: "#225588" } }) },
    ];
    expect(editorName({ appLane: true, user: ada, awareness })).toBe("Ada");
    expect(editorName({ appLane: false, awareness })).toBe("Bo");
    expect(editorName(NEW_PEER)).toBe("Someone");
  });
});
