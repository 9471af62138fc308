/**
 * Structural fuzzing: every frame is a well-formed Yjs update, drawn from a
 * seed and aimed at the room's current document, of the kinds that hurt a
 * room whose bytes are fine: pending structs and pending deletes, clock gaps
 * and huge clocks, many client ids inserting at one position (within a frame
 * and across frames), subdocuments, big ContentAny values, and plain valid
 * inserts and deletes by strangers. Shared by the Node run (many seeds,
 * timed) and the workerd run (over real SQLite storage).
 */
import { documentHash, encodeSyncUpdate, ErrorCode, LIMITS } from "@edgeroom/shared";
import * as decoding from "lib0/decoding";
import { expect } from "vitest";
import * as Y from "yjs";
import { MemoryChatStore } from "../../src/room/chat-store.ts";
import type { Outbound, PeerState } from "../../src/room/reaction.ts";
import { RoomLogic } from "../../src/room/room-logic.ts";
import type { UpdateStore } from "../../src/room/update-store.ts";
import {
  captureEdit,
  clockGap,
  crowd,
  type Id,
  inserts,
  integer,
  pendingDeletes,
  pendingStructs,
  pick,
  type Random,
  seeded,
} from "@edgeroom/testkit";

export interface StructuralRun {
  answers: Record<string, number>;
  maxHostileMs: number;
  maxAuthorMs: number;
  frames: number;
}

const APP_PEER: PeerState = { appLane: true, awareness: [], firstSyncDone: true };

function updateIn(frame: Uint8Array): Uint8Array {
  const decoder = decoding.createDecoder(frame);
  decoding.readVarUint(decoder);
  decoding.readVarUint(decoder);
  return decoding.readVarUint8Array(decoder);
}

function senderAnswers(out: Outbound[]): string[] {
  return out.flatMap((o) =>
    o.to === "sender" && "app" in o && (o.app.type === "doc-ack" || o.app.type === "doc-reject")
      ? [o.app.type === "doc-reject" ? o.app.code : "ack"]
      : [],
  );
}

/** IDs of the room's text, so hostile frames can aim at real positions. */
function textIds(doc: Y.Doc): Id[] {
  const ids: Id[] = [];
  let item = doc.getText("content")._start;
  while (item !== null && ids.length < 5_000) {
    for (let i = 0; i < item.length; i++) ids.push({ client: item.id.client, clock: item.id.clock + i });
    item = item.right;
  }
  return ids;
}

function hostileUpdate(random: Random, doc: Y.Doc, nextClient: () => number): Uint8Array {
  const ids = textIds(doc);
  const anywhere = (): Id | null => (ids.length > 0 ? pick(random, ids) : null);
  const size = random() < 0.2 ? 1 + integer(random, 10_000) : 1 + integer(random, 200);
  switch (integer(random, 10)) {
    case 0:
      return pendingStructs(nextClient(), nextClient(), size);
    case 1:
      return pendingDeletes(nextClient(), size, integer(random, 1_000_000));
    case 2:
      return clockGap(nextClient(), random() < 0.5 ? 1 + integer(random, 100) : LIMITS.maxClock - 1);
    case 3: {
      // Many clients at one position, in one frame.
      const at = anywhere();
      const clients = Array.from({ length: 2 + integer(random, 30) }, nextClient);
      return crowd(at ?? { client: 1, clock: 0 }, null, clients, Math.ceil(size / clients.length));
    }
    case 4: {
      // A fresh client piling onto a position others already crowd (the walk Yjs does per item).
      const at = ids[0] ?? { client: 1, clock: 0 };
      return crowd(at, ids[1] ?? null, [nextClient()], size);
    }
    case 5: {
      const sub = new Y.Doc();
      sub.clientID = nextClient();
      for (let i = 0; i < 1 + integer(random, 3); i++) sub.getMap("docs").set(`d${i}`, new Y.Doc());
      return Y.encodeStateAsUpdate(sub);
    }
    case 6: {
      const any = new Y.Doc();
      any.clientID = nextClient();
      const values = Array.from({ length: size * (random() < 0.5 ? 5 : 1) }, (_, i) => ({ i, s: "v" }));
      any.getArray("list").insert(0, [random() < 0.5 ? values : { values }]);
      return Y.encodeStateAsUpdate(any);
    }
    case 7: {
      // A stranger's valid inserts (and deletes of what exists): these are accepted.
      const peer = new Y.Doc();
      peer.clientID = nextClient();
      Y.applyUpdate(peer, Y.encodeStateAsUpdate(doc));
      const text = peer.getText("content");
      return captureEdit(peer, () => {
        text.insert(integer(random, text.length + 1), "s".repeat(1 + integer(random, 20)));
        if (text.length > 10 && random() < 0.5)
          text.delete(integer(random, text.length - 5), 1 + integer(random, 4));
      });
    }
    case 8: {
      // Valid inserts whose delete set also reaches past the room's clocks.
      const at = anywhere();
      const client = nextClient();
      return inserts(
        [{ client, clock: 0, items: [{ origin: at, rightOrigin: null }] }],
        [{ client: at?.client ?? 1, clock: 0, len: 1_000_000 }],
      );
    }
    default: {
      // A valid insert chain whose last item refers to its own future clock.
      const client = nextClient();
      return inserts([
        {
          client,
          clock: 0,
          items: [
            { origin: anywhere(), rightOrigin: null },
            { origin: { client, clock: 5 }, rightOrigin: null },
          ],
        },
      ]);
    }
  }
}

/**
 * Sends `frames` structural hostile frames from rotating sockets while an
 * author types; checks every frame gets one answer and leaves no pending
 * state, and that room, author and watcher converge.
 */
export function runStructuralFuzz(options: {
  seed: number;
  frames: number;
  updates: UpdateStore;
  time: <T>(handle: () => T) => { result: T; ms: number };
}): StructuralRun {
  const random = seeded(options.seed);
  let clock = 0;
  const room = new RoomLogic(
    { updates: options.updates, chat: new MemoryChatStore() },
    () => clock,
    () => clock,
  );
  const author = new Y.Doc();
  const watcher = new Y.Doc();
  const authorText = author.getText("content");
  let client = 1_000 + options.seed * 100_000;
  const nextClient = () => ++client;
  const answers: Record<string, number> = {};
  let maxHostileMs = 0;
  let maxAuthorMs = 0;
  let hostile = { id: "h0", peer: APP_PEER, n: 0 };

  const deliver = (out: Outbound[], to: Y.Doc[]): void => {
    for (const o of out) {
      if (o.to === "others" && "binary" in o && o.binary[0] === 0) {
        for (const doc of to) Y.applyUpdate(doc, updateIn(o.binary));
      }
    }
  };

  for (let i = 0; i < options.frames; i++) {
    clock += 20;
    if (i % 5 === 0) {
      const edit = captureEdit(author, () =>
        authorText.insert(integer(random, authorText.length + 1), `a${i} `),
      );
      const { result, ms } = options.time(() =>
        room.receiveBinary("author", APP_PEER, encodeSyncUpdate(edit)),
      );
      maxAuthorMs = Math.max(maxAuthorMs, ms);
      expect(senderAnswers(result.out)).toEqual(["ack"]);
      deliver(result.out, [watcher]);
    }
    const update = hostileUpdate(random, room.document.doc, nextClient);
    const { result, ms } = options.time(() =>
      room.receiveBinary(hostile.id, hostile.peer, encodeSyncUpdate(update)),
    );
    maxHostileMs = Math.max(maxHostileMs, ms);
    hostile.peer = result.peer ?? hostile.peer;
    const got = senderAnswers(result.out);
    const closed = result.out.some((o) => "close" in o);
    // Exactly one answer per update frame (a socket closed for abuse may get its close instead).
    expect(got.length === 1 || (closed && got.length <= 1), `frame ${i}: ${got.join()}`).toBe(true);
    const answer = got[0] ?? "closed";
    answers[answer] = (answers[answer] ?? 0) + 1;
    if (answer !== "ack")
      expect(Object.values(ErrorCode).includes(answer as ErrorCode) || answer === "closed").toBe(true);
    expect(room.document.doc.store.pendingStructs).toBeNull();
    expect(room.document.doc.store.pendingDs).toBeNull();
    deliver(result.out, [watcher, author]);
    if (closed || i % 3 === 2) {
      room.leave(hostile.id, hostile.peer);
      hostile = { id: `h${++hostile.n}`, peer: APP_PEER, n: hostile.n };
    }
  }
  // The author and watcher got every accepted change through the room: all three agree.
  for (const doc of [author, watcher]) {
    expect(documentHash(doc)).toBe(documentHash(room.document.doc));
  }
  expect(options.updates.byteSize()).toBeLessThanOrEqual(LIMITS.maxDocumentBytes);
  // What is stored is the document: a room rebuilt from storage alone holds the same state.
  const reloaded = new Y.Doc();
  for (const stored of options.updates.load()) Y.applyUpdate(reloaded, stored);
  expect(documentHash(reloaded)).toBe(documentHash(room.document.doc));
  return { answers, maxHostileMs, maxAuthorMs, frames: options.frames };
}
