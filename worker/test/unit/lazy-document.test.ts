/**
 * The document is built from storage only when something needs it: a room
 * woken by awareness, chat, typing, pointers or a hello answers without
 * loading it (issue 18's lazy load), and a sync, an update or a document
 * check loads it once.
 */
import {
  encodeSyncStep1,
  encodeSyncStep2,
  encodeSyncUpdate,
  parseYFrame,
  LIMITS,
  PROTOCOL_VERSION,
} from "@edgeroom/shared";
import { awarenessFrame } from "@edgeroom/testkit";
import * as Y from "yjs";
import { describe, expect, it } from "vitest";
import { MemoryChatStore } from "../../src/room/chat-store.ts";
import type { Effect } from "../../src/room/effects.ts";
import { NEW_PEER, type PeerState } from "../../src/room/reaction.ts";
import { RoomLogic } from "../../src/room/room-logic.ts";
import { MemoryUpdateStore } from "../../src/room/update-store.ts";

const NOW = 1_800_000_000_000;

function storedRoom(): MemoryUpdateStore {
  const store = new MemoryUpdateStore();
  const doc = new Y.Doc();
  doc.getText("content").insert(0, "a stored document");
  store.append(Y.encodeStateAsUpdate(doc));
  return store;
}

/** A room over stored content, as an object woken after eviction builds it, counting document loads. */
function wokenRoom(): { store: MemoryUpdateStore; room: RoomLogic; loads: () => number } {
  const store = storedRoom();
  let loads = 0;
  const room = new RoomLogic(
    { updates: store, chat: new MemoryChatStore() },
    () => NOW,
    () => NOW,
    {
      onDocumentLoad: () => (loads += 1),
    },
  );
  return { store, room, loads: () => loads };
}

function peerAfter(effects: Effect[], fallback: PeerState): PeerState {
  const set = effects.filter((e) => e.kind === "set-peer").at(-1);
  return set?.kind === "set-peer" ? set.peer : fallback;
}

describe("lazy document load", () => {
  it("a wake for awareness, hello, chat, typing, pointers and a newcomer's sync never builds the document; an edit does, once", () => {
    const { store, room, loads } = wokenRoom();
    // Woken with a socket that stayed open while the object slept.
    let peer: PeerState = { ...NEW_PEER, since: NOW };
    room.restorePeers([{ id: "s1", state: peer }]);
    peer = peerAfter(
      room.received("s1", peer, awarenessFrame(7, 1, { user: { name: "Ada", color: "#1971c2" } }), NOW),
      peer,
    );
    const hello = JSON.stringify({
      type: "hello",
      v: PROTOCOL_VERSION,
      user: { name: "Ada", color: "#1971c2" },
    });
    const welcomed = room.received("s1", peer, hello, NOW);
    peer = peerAfter(welcomed, peer);
    // The welcome still says how large the stored document is.
    const welcome = welcomed.find(
      (e) => e.kind === "send" && !(e.frame instanceof Uint8Array) && e.frame.type === "welcome",
    );
    expect(
      welcome?.kind === "send" &&
        !(welcome.frame instanceof Uint8Array) &&
        welcome.frame.type === "welcome" &&
        welcome.frame.docBytes,
    ).toBe(store.byteSize());
    peer = peerAfter(room.received("s1", peer, JSON.stringify({ type: "typing", active: true }), NOW), peer);
    peer = peerAfter(
      room.received("s1", peer, JSON.stringify({ type: "chat-send", id: "lazy-msg-001", text: "hi" }), NOW),
      peer,
    );
    room.received("s1", peer, JSON.stringify({ type: "pointer", at: { pos: 1, dx: 0, dy: 0 } }), NOW);
    room.closed("s1", peer, 1);
    expect(loads()).toBe(0);
    expect(room.document.loaded).toBe(false);

    // A newcomer's sync is answered from storage: its step 2 holds the whole stored document,
    // and the room's own step 1 names the stored state, without building anything.
    const joined = room.opened(
      "s2",
      { ok: true, verified: undefined, expiresAt: undefined, madePrivate: false },
      [],
      NOW,
    );
    const other = new Y.Doc();
    const effects = room.received("s2", { ...NEW_PEER, appLane: true }, encodeSyncStep1(other), NOW);
    expect(loads()).toBe(0);
    const frames = [...joined, ...effects].flatMap((e) =>
      e.kind === "send" && e.frame instanceof Uint8Array ? [parseYFrame(e.frame)] : [],
    );
    const step1 = frames.find((f) => f.ok && f.value.kind === "sync-step1");
    const step2 = frames.find((f) => f.ok && f.value.kind === "sync-step2");
    expect(step1?.ok && step1.value.kind === "sync-step1" && step1.value.stateVector).toEqual(
      Y.encodeStateVectorFromUpdate(Y.mergeUpdates(store.load())),
    );
    if (!step2?.ok || step2.value.kind !== "sync-step2") throw new Error("no sync step 2");
    Y.applyUpdate(other, step2.value.update);
    expect(other.getText("content").toString()).toBe("a stored document");
    // Its own step 2, answering the room's step 1, holds nothing new: acknowledged, still nothing built.
    const reply = room.received(
      "s2",
      { ...NEW_PEER, appLane: true },
      encodeSyncStep2(other, Y.encodeStateVectorFromUpdate(Y.mergeUpdates(store.load()))),
      NOW,
    );
    expect(
      reply.some((e) => e.kind === "send" && !(e.frame instanceof Uint8Array) && e.frame.type === "doc-ack"),
    ).toBe(true);
    expect(room.document.loaded).toBe(false);

    // An edit needs the document: built once, with what was stored.
    expect(room.document.doc.getText("content").toString()).toBe("a stored document");
    expect(loads()).toBe(1);
    const edit = new Y.Doc();
    Y.applyUpdate(edit, Y.encodeStateAsUpdate(room.document.doc));
    const before = Y.encodeStateVector(edit);
    edit.getText("content").insert(0, "> ");
    room.received(
      "s2",
      { ...NEW_PEER, appLane: true },
      encodeSyncUpdate(Y.encodeStateAsUpdate(edit, before)),
      NOW,
    );
    expect(loads()).toBe(1);
  });

  it("a document check loads it, and its hash follows the loaded document", () => {
    const { room, loads } = wokenRoom();
    const hello = JSON.stringify({
      type: "hello",
      v: PROTOCOL_VERSION,
      user: { name: "Bo", color: "#2f9e44" },
    });
    const peer = peerAfter(room.received("s1", NEW_PEER, hello, NOW), NEW_PEER);
    expect(loads()).toBe(0);
    const check = room.received("s1", peer, JSON.stringify({ type: "doc-check", hash: "0".repeat(64) }), NOW);
    expect(loads()).toBe(1);
    expect(
      check.some(
        (e) => e.kind === "send" && !(e.frame instanceof Uint8Array) && e.frame.type === "doc-check",
      ),
    ).toBe(true);
  });
});

/** A store that counts reads of the whole state (`load`) apart from reads of the log alone. */
class CountingStore extends MemoryUpdateStore {
  stateReads = 0;
  override load(): Uint8Array[] {
    this.stateReads += 1;
    return super.load();
  }
}

/** The update of one edit alone, as a client sends it (its own deletions only, not the document's). */
function textEdit(doc: Y.Doc, edit: (text: Y.Text) => void): Uint8Array {
  let made: Uint8Array | undefined;
  const listen = (update: Uint8Array) => (made = update);
  doc.on("update", listen);
  edit(doc.getText("content"));
  doc.off("update", listen);
  if (!made) throw new Error("the edit changed nothing");
  return made;
}

/** Step 2 the room answers a client's step 1 with. */
function answer(room: RoomLogic, client: Y.Doc): Uint8Array {
  const effects = room.received("r", { ...NEW_PEER, appLane: true }, encodeSyncStep1(client), NOW);
  for (const e of effects) {
    if (e.kind !== "send" || !(e.frame instanceof Uint8Array)) continue;
    const frame = parseYFrame(e.frame);
    if (frame.ok && frame.value.kind === "sync-step2") return frame.value.update;
  }
  throw new Error("no sync step 2");
}

function woken(store: MemoryUpdateStore): { room: RoomLogic; loads: () => number } {
  let loads = 0;
  const room = new RoomLogic(
    { updates: store, chat: new MemoryChatStore() },
    () => NOW,
    () => NOW,
    {
      onDocumentLoad: () => (loads += 1),
    },
  );
  return { room, loads: () => loads };
}

describe("the stored summary: a woken room answers a reader without reading the state", () => {
  it("compaction stores the summary, and a reader holding every struct is answered from it and the log, deletions included", () => {
    const store = new CountingStore();
    const writer = new Y.Doc();
    // The compacted part: text with deletions in it.
    store.append(textEdit(writer, (t) => t.insert(0, "the compacted part of the document, ")));
    // A reader synced here, then left: it holds every struct from now on, but not this deletion.
    const reader = new Y.Doc();
    Y.applyUpdate(reader, Y.encodeStateAsUpdate(writer));
    store.append(textEdit(writer, (t) => t.delete(4, 10)));
    const first = woken(store);
    first.room.document.compact();
    expect(store.summary()?.stateVector).toEqual(Y.encodeStateVector(writer));
    expect(store.logLength()).toBe(0);

    // Others went on writing and deleting (the log).
    store.append(textEdit(writer, (t) => t.insert(t.length, "then the log")));
    store.append(textEdit(writer, (t) => t.delete(0, 4)));
    store.append(textEdit(writer, (t) => t.delete(5, 3)));

    const { room, loads } = woken(store);
    store.stateReads = 0;
    Y.applyUpdate(reader, answer(room, reader));
    expect(reader.getText("content").toString()).toBe(writer.getText("content").toString());
    expect(store.stateReads).toBe(0);
    expect(loads()).toBe(0);

    // Asked again, as the same reader reconnecting: still the same document, still no state read.
    const again = new Y.Doc();
    Y.applyUpdate(again, Y.encodeStateAsUpdate(reader));
    Y.applyUpdate(again, answer(room, again));
    expect(again.getText("content").toString()).toBe(writer.getText("content").toString());
    expect(store.stateReads).toBe(0);
  });

  it("a client that lacks structs of the compacted state is answered from the state, and a newcomer gets it whole", () => {
    const store = new CountingStore();
    const writer = new Y.Doc();
    const early = new Y.Doc();
    store.append(textEdit(writer, (t) => t.insert(0, "early ")));
    Y.applyUpdate(early, Y.encodeStateAsUpdate(writer));
    store.append(textEdit(writer, (t) => t.insert(t.length, "and later, then compacted")));
    woken(store).room.document.compact();

    const { room, loads } = woken(store);
    store.stateReads = 0;
    Y.applyUpdate(early, answer(room, early));
    expect(early.getText("content").toString()).toBe("early and later, then compacted");
    expect(store.stateReads).toBe(1);
    const newcomer = new Y.Doc();
    Y.applyUpdate(newcomer, answer(room, newcomer));
    expect(newcomer.getText("content").toString()).toBe("early and later, then compacted");
    expect(loads()).toBe(0);
  });

  it("a whole document handed over in one large update is compacted at once, with its summary", () => {
    const store = new MemoryUpdateStore();
    const { room } = woken(store);
    const big = new Y.Doc();
    big.getText("content").insert(0, "x".repeat(LIMITS.compactAfterLogBytes + 1024));
    const peer = { ...NEW_PEER, appLane: true };
    room.received("w", peer, encodeSyncStep2(big, new Uint8Array([0])), NOW);
    expect(store.logLength()).toBe(0);
    expect(store.summary()?.stateVector).toEqual(Y.encodeStateVector(big));
    // And the room's own step 1 to a newcomer after a wake comes from the summary.
    const { room: later } = woken(store);
    const joined = later.opened(
      "n",
      { ok: true, verified: undefined, expiresAt: undefined, madePrivate: false },
      [],
      NOW,
    );
    const step1 = joined.flatMap((e) =>
      e.kind === "send" && e.frame instanceof Uint8Array ? [parseYFrame(e.frame)] : [],
    )[0];
    expect(step1?.ok && step1.value.kind === "sync-step1" && step1.value.stateVector).toEqual(
      Y.encodeStateVector(big),
    );
  });
});
