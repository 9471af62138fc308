/**
 * The document is built from storage only when something needs it: a room
 * woken by awareness, chat, typing, pointers or a hello answers without
 * loading it (issue 18's lazy load), and a sync, an update or a document
 * check loads it once.
 */
import { encodeSyncStep1, encodeSyncUpdate, parseYFrame, PROTOCOL_VERSION } from "@edgeroom/shared";
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
