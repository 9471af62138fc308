/**
 * "Acknowledged means integrated and stored" and "bound the work a frame can
 * cause": updates the room cannot integrate, or whose integration would walk
 * too far, change nothing and are refused by name; honest clients that merely
 * missed something resync and are stored.
 */
import {
  encodeSyncStep2,
  encodeSyncUpdate,
  ErrorCode,
  LIMITS,
  parseYFrame,
  type YFrame,
} from "@edgeroom/shared";
import { describe, expect, it, vi } from "vitest";
import * as Y from "yjs";
import { MemoryChatStore } from "../../src/room/chat-store.ts";
import { type Outbound, type PeerState } from "../../src/room/reaction.ts";
import { RoomLogic } from "../../src/room/room-logic.ts";
import { MemoryUpdateStore } from "../../src/room/update-store.ts";
import { checkUpdateAgainstDoc } from "../../src/room/update-check.ts";
import { YRoom } from "../../src/room/yroom.ts";
import {
  captureEdit,
  clockGap,
  crowd,
  dependentEdit,
  type Id,
  inserts,
  pendingDeletes,
  pendingStructs,
  pendingText,
  seedText,
} from "@edgeroom/testkit";

const peer: PeerState = { appLane: true, awareness: [] };

function answers(out: Outbound[]): string[] {
  return out.flatMap((o) =>
    o.to === "sender" && "app" in o
      ? [o.app.type === "doc-reject" ? `doc-reject:${o.app.code}` : o.app.type]
      : [],
  );
}

function binaries(out: Outbound[], to: "sender" | "others"): YFrame[] {
  return out.flatMap((o) => {
    if (o.to !== to || !("binary" in o)) return [];
    const parsed = parseYFrame(o.binary);
    if (!parsed.ok) throw new Error(parsed.error);
    return [parsed.value];
  });
}

function timed<T>(run: () => T): { result: T; ms: number } {
  const start = performance.now();
  const result = run();
  return { result, ms: performance.now() - start };
}

const noPending = (room: YRoom) => {
  expect(room.doc.store.pendingStructs).toBeNull();
  expect(room.doc.store.pendingDs).toBeNull();
};

describe("updates the room cannot integrate", () => {
  const cases: Record<string, () => Uint8Array> = {
    "pending structs (an origin from an unknown client)": () => pendingStructs(900, 901),
    "pending deletes (clocks nobody sent)": () => pendingDeletes(902, 50),
    "a clock gap (a client starting past what it sent)": () => clockGap(903, 40),
    "a huge clock gap": () => clockGap(904, LIMITS.maxClock - 1),
  };
  for (const [name, build] of Object.entries(cases)) {
    it(`refuses ${name}: nothing applied, stored or relayed, and a sync step 1 follows`, () => {
      const store = new MemoryUpdateStore();
      const room = new YRoom(store);
      room.receiveBinary("a", peer, encodeSyncUpdate(seedText(1, "hello").update));
      const bytes = store.byteSize();
      const before = Y.encodeStateAsUpdate(room.doc);
      const { out, edited } = room.receiveBinary("evil", peer, encodeSyncUpdate(build()));
      expect(answers(out)).toEqual([`doc-reject:${ErrorCode.missingDependencies}`]);
      // The refusal comes before the step 1, so a client counts the change unsaved before it answers.
      expect(out.findIndex((o) => "app" in o)).toBeLessThan(out.findIndex((o) => "binary" in o));
      expect(binaries(out, "sender").map((f) => f.kind)).toEqual(["sync-step1"]);
      expect(binaries(out, "others")).toEqual([]);
      expect(edited).toBeFalsy();
      expect(store.byteSize()).toBe(bytes);
      expect(Y.encodeStateAsUpdate(room.doc)).toEqual(before);
      noPending(room);
    });
  }

  it("does not grow storage or memory under a flood of pending frames, and the size cap never moves", () => {
    const store = new MemoryUpdateStore();
    const room = new YRoom(store);
    room.receiveBinary("a", peer, encodeSyncUpdate(seedText(1, "hello").update));
    const bytes = store.byteSize();
    for (let i = 0; i < 200; i++) {
      const frame = i % 2 ? pendingDeletes(2000 + i, 5000) : pendingStructs(3000 + i, 4000 + i, 2000);
      room.receiveBinary("evil", peer, encodeSyncUpdate(frame));
    }
    room.compact();
    expect(store.byteSize()).toBe(bytes);
    expect(Y.encodeStateAsUpdate(room.doc).byteLength).toBeLessThanOrEqual(bytes);
    noPending(room);
  });

  it("storage never passes the size cap: pending frames larger than the cap leave it as it was, also after compaction", () => {
    const store = new MemoryUpdateStore();
    const room = new YRoom(store);
    room.receiveBinary("a", peer, encodeSyncUpdate(seedText(1, "hello").update));
    const bytes = store.byteSize();
    const megabytes = "p".repeat(1_500_000);
    for (let i = 0; i < 4; i++) {
      room.receiveBinary("evil", peer, encodeSyncUpdate(pendingText(600 + i, 700 + i, megabytes)));
    }
    // The room empties: it compacts, as it does when the last socket leaves.
    room.compact();
    expect(store.byteSize()).toBe(bytes);
    expect(store.byteSize()).toBeLessThanOrEqual(LIMITS.maxDocumentBytes);
    const reloaded = new YRoom(store);
    expect(reloaded.doc.getText("content").toString()).toBe("hello");
    const { out } = reloaded.receiveBinary("a", peer, encodeSyncUpdate(dependentEdit(reloaded.doc, 2, "!")));
    expect(answers(out)).toEqual(["doc-ack"]);
  });

  it("an update whose items wait on each other in a cycle passes the check, but the post-apply assertion drops what Yjs left pending", () => {
    const store = new MemoryUpdateStore();
    const room = new YRoom(store);
    room.receiveBinary("a", peer, encodeSyncUpdate(seedText(1, "hello").update));
    const cycle = inserts([
      { client: 500, clock: 0, items: [{ origin: { client: 501, clock: 0 }, rightOrigin: null }] },
      { client: 501, clock: 0, items: [{ origin: { client: 500, clock: 0 }, rightOrigin: null }] },
    ]);
    expect(checkUpdateAgainstDoc(room.doc, cycle).ok).toBe(true);
    const warn = vi.spyOn(console, "warn").mockImplementation(() => {});
    const { out } = room.receiveBinary("evil", peer, encodeSyncUpdate(cycle));
    expect(warn).toHaveBeenCalledTimes(1);
    warn.mockRestore();
    expect(answers(out)).toEqual([`doc-reject:${ErrorCode.missingDependencies}`]);
    noPending(room);
    // What is stored is exactly the document.
    expect(new YRoom(store).doc.getText("content").toString()).toBe(room.doc.getText("content").toString());
  });

  it("a refused sync step 2 is not answered with another step 1 (that would loop)", () => {
    const room = new YRoom(new MemoryUpdateStore());
    const { out } = room.receiveBinary(
      "b",
      { ...peer, firstSyncDone: true },
      encodeStateStep2(pendingStructs(5, 6)),
    );
    expect(answers(out)).toEqual([`doc-reject:${ErrorCode.missingDependencies}`]);
    expect(binaries(out, "sender")).toEqual([]);
  });

  it("an honest client that holds what the room lacks resyncs through the step 1 and is stored", () => {
    const store = new MemoryUpdateStore();
    const room = new YRoom(store);
    // The client has the base (from elsewhere); the room never got it.
    const base = seedText(10, "base ");
    const client = new Y.Doc();
    client.clientID = 11;
    Y.applyUpdate(client, base.update);
    const edit = captureEdit(client, () => client.getText("content").insert(5, "edit"));
    const first = room.receiveBinary("c", peer, encodeSyncUpdate(edit));
    expect(answers(first.out)).toEqual([`doc-reject:${ErrorCode.missingDependencies}`]);
    const [step1] = binaries(first.out, "sender");
    if (step1?.kind !== "sync-step1") throw new Error("expected a sync step 1");
    const reply = room.receiveBinary("c", peer, encodeSyncStep2(client, step1.stateVector));
    expect(answers(reply.out)).toEqual(["doc-ack"]);
    expect(room.doc.getText("content").toString()).toBe("base edit");
    expect(new YRoom(store).doc.getText("content").toString()).toBe("base edit");
  });

  it("an honest dependent edit is accepted once its base arrived", () => {
    const room = new YRoom(new MemoryUpdateStore());
    const base = seedText(20, "a");
    room.receiveBinary("a", peer, encodeSyncUpdate(base.update));
    const { out } = room.receiveBinary("b", peer, encodeSyncUpdate(dependentEdit(base.doc, 21, "b")));
    expect(answers(out)).toEqual(["doc-ack"]);
    expect(room.doc.getText("content").toString()).toBe("ab");
  });
});

function encodeStateStep2(update: Uint8Array): Uint8Array {
  // A sync step 2 frame holding `update` (what a client sends in reply to a step 1).
  const doc = new Y.Doc();
  const frame = encodeSyncStep2(doc);
  const header = frame.slice(0, 2);
  const lengthPrefixed = encodeSyncUpdate(update).slice(2);
  return new Uint8Array([...header, ...lengthPrefixed]);
}

describe("a stored log that already holds pending state (written by an earlier version)", () => {
  it("heals on load: drops the pending part, keeps the document, rewrites storage compacted, warns once", () => {
    const store = new MemoryUpdateStore();
    const seed = seedText(30, "kept text");
    store.append(seed.update);
    store.append(pendingStructs(31, 32, 500));
    store.append(pendingDeletes(33, 500));
    const warn = vi.spyOn(console, "warn").mockImplementation(() => {});
    try {
      const room = new YRoom(store, "healing-room");
      noPending(room);
      expect(room.doc.getText("content").toString()).toBe("kept text");
      expect(store.logLength()).toBe(0);
      expect(store.byteSize()).toBe(Y.encodeStateAsUpdate(room.doc).byteLength);
      expect(store.byteSize()).toBeLessThan(seed.update.byteLength + 20);
      expect(warn).toHaveBeenCalledTimes(1);
      expect(String(warn.mock.calls[0]?.[0])).toContain("healing-room");
      // Reloading finds nothing to heal.
      new YRoom(store, "healing-room");
      expect(warn).toHaveBeenCalledTimes(1);
    } finally {
      warn.mockRestore();
    }
  });
});

describe("the work a frame can cause", () => {
  /** The measured attack: 10,000 one-character inserts at one position, each frame from a new, higher client. */
  function crowdAttack(frames: number) {
    const room = new YRoom(new MemoryUpdateStore());
    const seed = seedText(1, "ab");
    room.receiveBinary("a", peer, encodeSyncUpdate(seed.update));
    const results: { answer: string[]; ms: number }[] = [];
    for (let f = 0; f < frames; f++) {
      const frame = encodeSyncUpdate(
        crowd({ client: 1, clock: 0 }, { client: 1, clock: 1 }, [1000 + f], 10_000),
      );
      const { result, ms } = timed(() => room.receiveBinary(`evil-${f}`, peer, frame));
      results.push({ answer: answers(result.out), ms });
    }
    return { room, results };
  }

  it("refuses a crowd frame that would walk over the last one's 10,000 items, in milliseconds", () => {
    const { room, results } = crowdAttack(3);
    console.log(
      "crowd frames (ms):",
      results.map((r) => `${r.answer.join()} ${r.ms.toFixed(1)}`),
    );
    expect(results[0]?.answer).toEqual(["doc-ack"]);
    for (const later of results.slice(1)) {
      expect(later.answer).toEqual([`doc-reject:${ErrorCode.tooCostly}`]);
      // Before the check, the second frame took 11–37 s; refusing it now costs a decode and a bounded walk.
      expect(later.ms).toBeLessThan(1000);
    }
    expect(room.doc.getText("content").length).toBe(10_002);
  });

  it("refuses one frame in which many clients insert at one position (quadratic within the frame)", () => {
    const room = new YRoom(new MemoryUpdateStore());
    room.receiveBinary("a", peer, encodeSyncUpdate(seedText(1, "ab").update));
    const clients = Array.from({ length: 20 }, (_, i) => 100 + i);
    const frame = encodeSyncUpdate(crowd({ client: 1, clock: 0 }, { client: 1, clock: 1 }, clients, 450));
    const { result, ms } = timed(() => room.receiveBinary("evil", peer, frame));
    console.log(`in-frame crowd: ${answers(result.out).join()} in ${ms.toFixed(1)} ms`);
    expect(answers(result.out)).toEqual([`doc-reject:${ErrorCode.tooCostly}`]);
    expect(room.doc.getText("content").toString()).toBe("ab");
  });

  it("accepts an honest long offline merge: one long walk, not thousands", () => {
    const room = new YRoom(new MemoryUpdateStore());
    const seed = seedText(1, "ab");
    room.receiveBinary("a", peer, encodeSyncUpdate(seed.update));
    const offline = new Y.Doc();
    offline.clientID = 60;
    Y.applyUpdate(offline, seed.update);
    // While 2,000 people in turn type a word between a and b (each run starts at a)…
    for (let i = 0; i < 2000; i++) {
      const online = new Y.Doc();
      online.clientID = 100 + i;
      Y.applyUpdate(online, Y.encodeStateAsUpdate(room.doc));
      const edit = captureEdit(online, () => online.getText("content").insert(1, "on "));
      room.receiveBinary("online", peer, encodeSyncUpdate(edit));
    }
    // …one person, offline, types 3,000 characters at the same place, and comes back.
    for (let i = 0; i < 3000; i++) offline.getText("content").insert(1 + i, "f");
    const merge = Y.encodeStateAsUpdate(offline, Y.encodeStateVector(room.doc));
    const reply = timed(() => room.receiveBinary("offline", peer, encodeSyncUpdate(merge)));
    console.log(
      `honest offline merge over 2,000 runs: ${answers(reply.result.out).join()} in ${reply.ms.toFixed(1)} ms`,
    );
    expect(answers(reply.result.out)).toEqual(["doc-ack"]);
    Y.applyUpdate(offline, Y.encodeStateAsUpdate(room.doc));
    expect(room.doc.getText("content").toString()).toBe(offline.getText("content").toString());
  });

  it("charges each socket's predicted work and refuses it as rate-limited once spent, closing a socket that keeps on", () => {
    let now = 0;
    const logic = new RoomLogic(
      { updates: new MemoryUpdateStore(), chat: new MemoryChatStore() },
      () => now,
      () => now,
    );
    logic.receiveBinary("a", peer, encodeSyncUpdate(seedText(1, "ab").update));
    let hostile: PeerState = { appLane: true, awareness: [], firstSyncDone: true };
    const seen: string[] = [];
    let closed = false;
    let end: Id = { client: 1, clock: 1 };
    for (let f = 0; f < 400 && !closed; f++) {
      now += 20; // 50 frames a second, the document lane's rate.
      const client = 5000 + f;
      // 9,000 characters typed forward after the end of the text: cheap to place, costly to decode and apply.
      const items = Array.from({ length: 9_000 }, (_, i) => ({
        origin: i === 0 ? end : { client, clock: i - 1 },
        rightOrigin: null,
      }));
      const reaction = logic.receiveBinary(
        "evil",
        hostile,
        encodeSyncUpdate(inserts([{ client, clock: 0, items }])),
      );
      hostile = reaction.peer ?? hostile;
      const answer = answers(reaction.out);
      seen.push(...answer);
      if (answer[0] === "doc-ack") end = { client, clock: 8_999 };
      closed = reaction.out.some((o) => "close" in o);
    }
    const acked = seen.filter((a) => a === "doc-ack").length;
    console.log(`work budget: ${acked} acked, ${seen.length - acked} refused, closed: ${closed}`);
    expect(seen).toContain(`doc-reject:${ErrorCode.rateLimited}`);
    // Over 8 s the socket may spend burst + 8 s of refill, in 9,000-unit frames.
    const { burst, perSecond } = LIMITS.integrationBudget;
    expect(closed).toBe(true);
    expect(acked).toBeLessThanOrEqual(Math.ceil((burst + (perSecond * 400 * 20) / 1000) / 9_000) + 1);
  });
});
