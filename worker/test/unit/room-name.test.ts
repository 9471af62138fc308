/**
 * The room's name in the room logic: told on hello, changed for everyone by
 * a rename, kept in its store, and never changed by anything a hostile
 * socket can send (view token, bad names, floods).
 */
import { CloseCode, ErrorCode, LIMITS, PROTOCOL_VERSION, type VerifiedIdentity } from "@edgeroom/shared";
import { describe, expect, it } from "vitest";
import { MemoryChatStore } from "../../src/room/chat-store.ts";
import type { Effect } from "../../src/room/effects.ts";
import { NEW_PEER, type PeerState } from "../../src/room/reaction.ts";
import { RoomLogic } from "../../src/room/room-logic.ts";
import { MemoryRoomNameStore } from "../../src/room/room-name.ts";
import { MemoryUpdateStore } from "../../src/room/update-store.ts";
import { verifiedPeer } from "../../src/room/verified-peer.ts";

const NOW = 1_800_000_000_000;
const ada = { name: "Ada", color: "#c2255c" };

/** Counts writes, so a test can tell that a refused or repeated rename wrote nothing. */
class CountingStore extends MemoryRoomNameStore {
  writes = 0;
  override write(name: string): void {
    this.writes += 1;
    super.write(name);
  }
}

function newRoom(store = new CountingStore(), clock = () => NOW): RoomLogic {
  return new RoomLogic(
    { updates: new MemoryUpdateStore(), chat: new MemoryChatStore(), roomName: store },
    clock,
    clock,
  );
}

function hello(room: RoomLogic, id: string, peer: PeerState = NEW_PEER): PeerState {
  const frame = JSON.stringify({ type: "hello", v: PROTOCOL_VERSION, user: ada });
  const set = room.received(id, peer, frame, NOW).find((e) => e.kind === "set-peer");
  if (set?.kind !== "set-peer") throw new Error("hello set no peer state");
  return set.peer;
}

const rename = (room: RoomLogic, id: string, peer: PeerState, name: unknown) =>
  room.received(id, peer, JSON.stringify({ type: "room-name-set", name }), NOW);

function frames(effects: readonly Effect[]): unknown[] {
  return effects.flatMap((e) =>
    e.kind === "send" || e.kind === "broadcast" ? [{ kind: e.kind, frame: e.frame }] : [],
  );
}

const broadcasts = (effects: readonly Effect[]) => effects.filter((e) => e.kind === "broadcast");

describe("the room's name", () => {
  it("is told to every socket right after its welcome, empty until someone names the room", () => {
    const room = newRoom();
    const effects = room.received("a", NEW_PEER, JSON.stringify({ type: "hello", v: PROTOCOL_VERSION }), NOW);
    const sent = effects.flatMap((e) => (e.kind === "send" ? [e.frame] : []));
    expect(sent).toEqual([
      { type: "welcome", v: PROTOCOL_VERSION, docBytes: 0 },
      { type: "room-name", name: "" },
      // The first app-lane socket is asked to check in (see check-ins.test.ts).
      { type: "check-in-due", afterMs: 0 },
    ]);
  });

  it("is renamed for everyone: stored, then sent to the sender and every other app-lane socket", () => {
    const store = new CountingStore();
    const room = newRoom(store);
    const effects = rename(room, "a", hello(room, "a"), "  Q3   plans ");
    expect(store.read()).toBe("Q3 plans");
    expect(frames(effects)).toEqual([
      { kind: "send", frame: { type: "room-name", name: "Q3 plans" } },
      { kind: "broadcast", frame: { type: "room-name", name: "Q3 plans" } },
    ]);
    expect(broadcasts(effects)).toEqual([
      { kind: "broadcast", lane: "app", frame: { type: "room-name", name: "Q3 plans" }, except: "a" },
    ]);
    // A socket that joins later hears the new name at once.
    const later = room.received("b", NEW_PEER, JSON.stringify({ type: "hello", v: PROTOCOL_VERSION }), NOW);
    expect(frames(later)).toContainEqual({ kind: "send", frame: { type: "room-name", name: "Q3 plans" } });
  });

  it("can be removed with the empty name", () => {
    const store = new CountingStore();
    const room = newRoom(store);
    const peer = hello(room, "a");
    rename(room, "a", peer, "Plans");
    const effects = rename(room, "a", peer, "   ");
    expect(store.read()).toBe("");
    expect(broadcasts(effects)).toHaveLength(1);
  });

  it("survives a restart: a new room logic over the same store starts with it", () => {
    const store = new CountingStore();
    const first = newRoom(store);
    rename(first, "a", hello(first, "a"), "Launch");
    const restarted = newRoom(store);
    expect(restarted.name.current).toBe("Launch");
    expect(
      frames(restarted.received("b", NEW_PEER, JSON.stringify({ type: "hello", v: 1 }), NOW)),
    ).toContainEqual({
      kind: "send",
      frame: { type: "room-name", name: "Launch" },
    });
  });

  it("renamed to the name it has writes nothing and reaches nobody else", () => {
    const store = new CountingStore();
    const room = newRoom(store);
    const peer = hello(room, "a");
    rename(room, "a", peer, "Plans");
    const again = rename(room, "a", peer, " Plans ");
    expect(store.writes).toBe(1);
    expect(broadcasts(again)).toEqual([]);
    expect(frames(again)).toEqual([{ kind: "send", frame: { type: "room-name", name: "Plans" } }]);
  });

  it("is not changed by a view token: refused with read-only, nothing stored or sent to others", () => {
    const store = new CountingStore();
    const room = newRoom(store);
    const viewer: VerifiedIdentity = { id: "viewer-0001", name: "Vi", color: "#1971c2", scope: "view" };
    const peer = hello(room, "v", { ...NEW_PEER, ...verifiedPeer(viewer) });
    const effects = rename(room, "v", peer, "Hijacked");
    expect(store.writes).toBe(0);
    expect(room.name.current).toBe("");
    expect(broadcasts(effects)).toEqual([]);
    expect(frames(effects)).toEqual([
      { kind: "send", frame: expect.objectContaining({ code: ErrorCode.readOnly }) },
    ]);
  });

  it("refuses bad names as bad-message with nothing changed, and closes a socket that keeps sending them", () => {
    const store = new CountingStore();
    const room = newRoom(store);
    let peer = hello(room, "a");
    rename(room, "a", peer, "Plans");
    const bad = [
      "x".repeat(LIMITS.maxRoomNameLength + 1),
      "x".repeat(1_000_000),
      "evil\u202etxt.exe",
      "two\nlines",
      "nul\u0000",
      "zero\u200bwidth",
      42,
      null,
      { toString: "x" },
    ];
    for (const name of bad) {
      const effects = rename(room, "a", peer, name);
      expect(frames(effects)).toEqual([
        { kind: "send", frame: expect.objectContaining({ type: "error", code: ErrorCode.badMessage }) },
      ]);
      peer = effects.flatMap((e) => (e.kind === "set-peer" ? [e.peer] : []))[0] ?? peer;
    }
    expect(store.writes).toBe(1);
    expect(room.name.current).toBe("Plans");
    // Malformed frames are strikes: a socket that keeps sending them is closed.
    let closed: Effect[] = [];
    for (let i = 0; i < LIMITS.malformedStrikes.burst && closed.length === 0; i++) {
      closed = rename(room, "a", peer, "\u202e").filter((e) => e.kind === "close");
    }
    expect(closed).toMatchObject([{ kind: "close", code: CloseCode.badFrames }]);
    expect(room.name.current).toBe("Plans");
  });

  it("is rate-limited with the app lane: a flood of renames is dropped past the burst and ends in a close", () => {
    const store = new CountingStore();
    const room = newRoom(store);
    const peer = hello(room, "a");
    const results = Array.from({ length: LIMITS.rateLimits.app.burst + 1 }, (_, i) =>
      rename(room, "a", peer, `Name ${i}`),
    );
    // The hello took one token: the burst's other tokens are renames, then drops.
    const admitted = LIMITS.rateLimits.app.burst - 1;
    expect(store.writes).toBe(admitted);
    expect(room.name.current).toBe(`Name ${admitted - 1}`);
    const told = results.slice(admitted).flatMap(frames);
    expect(told).toEqual([
      { kind: "send", frame: expect.objectContaining({ type: "error", code: ErrorCode.rateLimited }) },
    ]);
    expect(results.slice(admitted).flatMap(broadcasts)).toEqual([]);
    let closed: Effect[] = [];
    for (let i = 0; i <= LIMITS.overBudgetStrikes.burst && closed.length === 0; i++) {
      closed = rename(room, "a", peer, `Flood ${i}`).filter((e) => e.kind === "close");
    }
    expect(closed).toMatchObject([{ kind: "close", code: CloseCode.tooManyMessages }]);
    expect(store.writes).toBe(admitted);
  });

  it("is ignored before hello, like every app-lane message", () => {
    const store = new CountingStore();
    const room = newRoom(store);
    expect(frames(rename(room, "a", NEW_PEER, "Sneaky"))).toEqual([]);
    expect(store.writes).toBe(0);
  });
});
