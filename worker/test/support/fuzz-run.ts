/**
 * The hostile-frame fuzz run, shared by the Node test (room logic over an
 * in-memory store, with a per-frame time bound) and the workerd test (room
 * logic over a Durable Object's real SQLite storage inside workerd). See
 * `worker/test/unit/fuzz-frames.test.ts` for what it proves.
 */
import { documentHash, encodeSyncUpdate } from "@edgeroom/shared";
import { helloFrame, integer, seeded } from "@edgeroom/testkit";
import * as decoding from "lib0/decoding";
import { expect } from "vitest";
import * as Y from "yjs";
import { MemoryChatStore } from "../../src/room/chat-store.ts";
import { NEW_PEER, type PeerState, type Reaction } from "../../src/room/reaction.ts";
import { RoomLogic } from "../../src/room/room-logic.ts";
import type { UpdateStore } from "../../src/room/update-store.ts";
import { hostileFrame, knownHostileFrames, type FuzzFrame } from "./fuzz-frames.ts";

export interface FuzzStats {
  binary: number;
  text: number;
  refused: number;
  acceptedAsValid: number;
  closes: number;
  maxMs: number;
  good: number;
}

export interface FuzzRun {
  stats: FuzzStats;
  /** The room's document, the editing client's, the watching client's, and the reference built from well-formed frames only. */
  docs: { room: Y.Doc; author: Y.Doc; watcher: Y.Doc; reference: Y.Doc };
  pending: number;
}

const hello = (appLane: boolean) => (appLane ? helloFrame({ user: { name: "Eve", color: "#aa0000" } }) : "");

/** The update inside a sync frame the room accepted, read with lib0 alone. */
function updateIn(frame: Uint8Array): Uint8Array {
  const decoder = decoding.createDecoder(frame);
  decoding.readVarUint(decoder);
  decoding.readVarUint(decoder);
  return decoding.readVarUint8Array(decoder);
}

/** The update in a binary sync step 2 or update frame, if the frame is one. */
function acceptedUpdate(frame: FuzzFrame): Uint8Array | undefined {
  if (typeof frame === "string" || frame[0] !== 0 || (frame[1] !== 1 && frame[1] !== 2)) return undefined;
  return updateIn(frame);
}

function relayedUpdates(reaction: Reaction): Uint8Array[] {
  return reaction.out.flatMap((o) =>
    o.to === "others" && "binary" in o && o.binary[0] === 0 ? [updateIn(o.binary)] : [],
  );
}

/** Sends `frames` hostile frames to a room over `updates`, checking as it goes; `time` measures one frame. */
export function runFuzz(options: {
  frames: number;
  updates: UpdateStore;
  time: <T>(handle: () => T) => { result: T; ms: number };
}): FuzzRun {
  const { frames: HOSTILE_FRAMES, updates, time: timeFrame } = options;
  const random = seeded(479);
  let clock = 0;
  const room = new RoomLogic(
    { updates, chat: new MemoryChatStore() },
    () => clock,
    () => clock,
  );
  const author = new Y.Doc();
  const watcher = new Y.Doc();
  const reference = new Y.Doc();
  const authorText = author.getText("content");
  let authorPeer = room.receiveText("author", NEW_PEER, hello(true)).peer ?? NEW_PEER;
  const recent: Uint8Array[] = [];
  let attacker = { id: "evil-0", peer: NEW_PEER as PeerState, n: 0 };
  const stats = { binary: 0, text: 0, refused: 0, acceptedAsValid: 0, closes: 0, maxMs: 0, good: 0 };

  const authorEdits = (): void => {
    const update = captureUpdate(author, () => {
      if (authorText.length > 0 && random() < 0.3) {
        const at = integer(random, authorText.length);
        authorText.delete(at, Math.min(1 + integer(random, 5), authorText.length - at));
      } else authorText.insert(integer(random, authorText.length + 1), `w${integer(random, 1000)} `);
    });
    const frame = encodeSyncUpdate(update);
    const reaction = room.receiveBinary("author", authorPeer, frame);
    authorPeer = reaction.peer ?? authorPeer;
    expect(reaction.out.filter((o) => o.to === "sender" && "app" in o)).toEqual([
      { to: "sender", app: { type: "doc-ack", docBytes: expect.any(Number) } },
    ]);
    for (const relayed of relayedUpdates(reaction)) Y.applyUpdate(watcher, relayed);
    for (const echoed of reaction.out) {
      if (echoed.to === "sender" && "binary" in echoed) Y.applyUpdate(author, updateIn(echoed.binary));
    }
    Y.applyUpdate(reference, update);
    recent.push(frame);
    if (recent.length > 50) recent.shift();
    stats.good++;
  };

  const known = knownHostileFrames();
  for (let i = 0; i < HOSTILE_FRAMES; i++) {
    clock += 20;
    if (i % 10 === 0) authorEdits();
    const frame: FuzzFrame = known[i] ?? hostileFrame(random, recent);
    const before = i % 500 === 0 ? documentHash(room.document.doc) : "";
    const { result: reaction, ms } = timeFrame(() =>
      typeof frame === "string"
        ? room.receiveText(attacker.id, attacker.peer, frame)
        : room.receiveBinary(attacker.id, attacker.peer, frame),
    );
    stats.maxMs = Math.max(stats.maxMs, ms);
    if (typeof frame === "string") stats.text++;
    else stats.binary++;
    attacker.peer = reaction.peer ?? attacker.peer;
    const accepted = reaction.problem === undefined && !reaction.refused ? acceptedUpdate(frame) : undefined;
    if (accepted) {
      // A mutation that is a valid update after all, and one the room could integrate
      // (it refuses any that would leave pending state): plain Yjs must take it the same way.
      stats.acceptedAsValid++;
      Y.applyUpdate(reference, accepted);
      for (const update of relayedUpdates(reaction)) {
        Y.applyUpdate(watcher, update);
        Y.applyUpdate(author, update);
      }
    } else if (reaction.problem !== undefined || reaction.refused) {
      stats.refused++;
      if (before) expect(documentHash(room.document.doc)).toBe(before);
    }
    if (reaction.out.some((o) => "close" in o)) {
      stats.closes++;
      room.leave(attacker.id, attacker.peer);
      attacker = { id: `evil-${++attacker.n}`, peer: NEW_PEER, n: attacker.n };
      if (random() < 0.5)
        attacker.peer = room.receiveText(attacker.id, NEW_PEER, hello(true)).peer ?? NEW_PEER;
    }
    if (i % 1000 === 999) expect(documentHash(room.document.doc)).toBe(documentHash(reference));
  }
  const store = room.document.doc.store;
  const pending = (store.pendingStructs?.missing.size ?? 0) + (store.pendingDs ? 1 : 0);
  return { stats, docs: { room: room.document.doc, author, watcher, reference }, pending };
}

function captureUpdate(doc: Y.Doc, edit: () => void): Uint8Array {
  let captured: Uint8Array | undefined;
  const listen = (update: Uint8Array): void => {
    captured = update;
  };
  doc.on("update", listen);
  edit();
  doc.off("update", listen);
  if (!captured) throw new Error("the edit changed nothing");
  return captured;
}

/** Every frame was handled, few mutations were valid, and every replica holds the reference document. */
export function expectConverged(run: FuzzRun, frames: number): void {
  expect(run.stats.binary + run.stats.text).toBe(frames);
  expect(run.stats.acceptedAsValid).toBeLessThan(frames / 20);
  // The room never holds state it could not integrate.
  expect(run.pending).toBe(0);
  const { room, author, watcher, reference } = run.docs;
  for (const doc of [room, watcher, author]) {
    expect(doc.getText("content").toString()).toBe(reference.getText("content").toString());
    expect(documentHash(doc)).toBe(documentHash(reference));
  }
}
