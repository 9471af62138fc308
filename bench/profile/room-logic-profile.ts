/**
 * Where an edit's time goes inside the room, in plain Node: `RoomLogic` (the
 * room's transport-free logic, what the Durable Object runs per frame) with
 * the in-memory update store the unit tests use, 50 sockets that said hello,
 * and a document grown by the first-sync trace. It times `received()` per
 * single-character update, then each stage of it on a replica document fed
 * the same updates: parse the frame, check the update against the document,
 * apply it, store it (memory here; SQLite in workerd), encode the broadcast.
 * Fan-out inside the logic is one `broadcast` effect whatever the number of
 * recipients; sending to each socket is workerd's work (see cpu-per-edit.ts).
 *
 *   npx tsx profile/room-logic-profile.ts [updates=3000] [documentBytes=160000]
 */
import { encodeSyncUpdate, PROTOCOL_VERSION } from "@edgeroom/shared";
import * as decoding from "lib0/decoding";
import * as Y from "yjs";
import type { Admission } from "../../worker/src/room/admission.ts";
import { MemoryChatStore } from "../../worker/src/room/chat-store.ts";
import { NEW_PEER, type PeerState } from "../../worker/src/room/reaction.ts";
import { RoomLogic } from "../../worker/src/room/room-logic.ts";
import { checkUpdateAgainstDoc } from "../../worker/src/room/update-check.ts";
import { MemoryUpdateStore } from "../../worker/src/room/update-store.ts";
import { CountingUpdateStore } from "./counting-update-store.ts";
import { traceDocument } from "../load/edit-trace.ts";

const UPDATES = Number(process.argv[2] ?? 3000);
const DOCUMENT_BYTES = Number(process.argv[3] ?? 160_000);
const SOCKETS = 50;
const AUTHORS = 10;
const open: Admission = { ok: true, verified: undefined, expiresAt: undefined, madePrivate: false };

const base = traceDocument(DOCUMENT_BYTES).update;
const updates = singleCharacterUpdates(base, UPDATES);
const frames = updates.map((u) => encodeSyncUpdate(u));

// --- received() as the Durable Object calls it, per frame ---
const store = new CountingUpdateStore();
store.append(base);
// A rate clock that moves 25 ms per frame keeps every socket inside its budget, as a typist's would.
let clock = 1_800_000_000_000;
const room = new RoomLogic(
  { updates: store, chat: new MemoryChatStore() },
  () => clock,
  () => clock,
);
const peers = new Map<string, PeerState>();
for (let i = 0; i < SOCKETS; i += 1) {
  const id = `s${i}`;
  let peer: PeerState = { ...NEW_PEER, since: clock };
  room.opened(
    id,
    open,
    [...peers].map(([pid, p]) => ({ id: pid, peer: p })),
    clock,
  );
  const hello = JSON.stringify({
    type: "hello",
    v: PROTOCOL_VERSION,
    user: { name: `u${i}`, color: "#555555" },
  });
  for (const effect of room.received(id, peer, hello, clock))
    if (effect.kind === "set-peer") peer = effect.peer;
  peers.set(id, peer);
}
// The document is built from storage on the first frame that needs it: do that outside the timing.
room.received("s0", peers.get("s0") ?? NEW_PEER, frames[0] ?? new Uint8Array(), clock);
// Compaction (every `LIMITS.compactAfterUpdates` updates: the whole state encoded and written) is timed apart.
const compactions: number[] = [];
const compact = room.document.compact.bind(room.document);
room.document.compact = () => {
  const started = performance.now();
  compact();
  compactions.push((performance.now() - started) * 1000);
};

const receivedUs: number[] = [];
let broadcasts = 0;
for (let i = 1; i < frames.length; i += 1) {
  clock += 25;
  const id = `s${i % AUTHORS}`;
  const started = performance.now();
  const effects = room.received(id, peers.get(id) ?? NEW_PEER, frames[i] ?? new Uint8Array(), clock);
  receivedUs.push((performance.now() - started) * 1000);
  broadcasts += effects.filter((e) => e.kind === "broadcast").length;
  if (i === 1 && !effects.some((e) => e.kind === "broadcast"))
    throw new Error(`the room did not relay: ${JSON.stringify(effects.map((e) => e.kind))}`);
}

// --- the stages, one by one, on a replica fed the same updates ---
const replica = new Y.Doc();
Y.applyUpdate(replica, base);
Y.applyUpdate(replica, updates[0] ?? new Uint8Array());
const replicaStore = new MemoryUpdateStore();
const stages = {
  parse: [] as number[],
  check: [] as number[],
  apply: [] as number[],
  store: [] as number[],
  encode: [] as number[],
};
for (let i = 1; i < frames.length; i += 1) {
  const frame = frames[i] ?? new Uint8Array();
  let t = performance.now();
  const decoder = decoding.createDecoder(frame);
  decoding.readVarUint(decoder);
  decoding.readVarUint(decoder);
  const update = decoding.readVarUint8Array(decoder);
  stages.parse.push(lap());
  const verdict = checkUpdateAgainstDoc(replica, update);
  if (!verdict.ok) throw new Error(verdict.message);
  stages.check.push(lap());
  const effective: Uint8Array[] = [];
  const collect = (u: Uint8Array): void => void effective.push(u);
  replica.on("update", collect);
  Y.applyUpdate(replica, update);
  replica.off("update", collect);
  stages.apply.push(lap());
  for (const u of effective) replicaStore.append(u);
  stages.store.push(lap());
  for (const u of effective) encodeSyncUpdate(u);
  stages.encode.push(lap());

  function lap(): number {
    const now = performance.now();
    const us = (now - t) * 1000;
    t = now;
    return us;
  }
}

const mean = (values: number[]): number => values.reduce((a, b) => a + b, 0) / Math.max(1, values.length);
const median = (values: number[]): number =>
  [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? NaN;
const rows: [string, number[]][] = [
  ["RoomLogic.received(), whole", receivedUs],
  ["  parse the frame (y-protocols layers)", stages.parse],
  ["  check the update against the document", stages.check],
  ["  apply it (Y.applyUpdate, collecting what it added)", stages.apply],
  ["  store it (in memory here)", stages.store],
  ["  encode the broadcast frame (once for every recipient)", stages.encode],
];
console.log(
  `RoomLogic profile: ${frames.length - 1} single-character updates from ${AUTHORS} authors, ${SOCKETS} sockets in the room, ` +
    `document ${Math.round(base.byteLength / 1024)} KB, node ${process.version}; ${broadcasts} broadcast effects.`,
);
console.log("\n| stage | mean µs | median µs |\n| --- | ---: | ---: |");
for (const [name, values] of rows)
  console.log(`| ${name} | ${mean(values).toFixed(1)} | ${median(values).toFixed(1)} |`);
const compactionTotal = compactions.reduce((a, b) => a + b, 0);
console.log(
  `\nCompactions: ${compactions.length}, ${mean(compactions).toFixed(0)} µs each (encode the whole document, replace the log), ` +
    `${(compactionTotal / Math.max(1, receivedUs.length)).toFixed(1)} µs per update spread over all of them; ` +
    `received() without them: mean ${((receivedUs.reduce((a, b) => a + b, 0) - compactionTotal) / Math.max(1, receivedUs.length)).toFixed(1)} µs.`,
);
const staged =
  mean(stages.parse) + mean(stages.check) + mean(stages.apply) + mean(stages.store) + mean(stages.encode);
console.log(
  `\nThe stages add up to ${staged.toFixed(1)} µs of the ${mean(receivedUs).toFixed(1)} µs mean; the rest is the frame guard ` +
    `(rate limits), building effects and the doc-ack.`,
);

/** `count` single-character inserts at random places, from `AUTHORS` clients that all start from `base`. */
function singleCharacterUpdates(start: Uint8Array, count: number): Uint8Array[] {
  const authors = Array.from({ length: AUTHORS }, (_, i) => {
    const doc = new Y.Doc();
    doc.clientID = 1000 + i;
    Y.applyUpdate(doc, start);
    return doc;
  });
  let seed = 7;
  const random = (): number => ((seed = (seed * 16807) % 2147483647) - 1) / 2147483646;
  const out: Uint8Array[] = [];
  for (let i = 0; i < count; i += 1) {
    const doc = authors[i % AUTHORS];
    if (!doc) continue;
    const text = doc.getText("content");
    doc.once("update", (u: Uint8Array) => void out.push(u));
    text.insert(Math.floor(random() * (text.length + 1)), "x");
  }
  return out;
}
