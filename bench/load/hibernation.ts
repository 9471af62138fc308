/**
 * Workload 6 (Edgeroom only): does an idle room with open sockets leave
 * memory, and how fast does it answer when a frame wakes it? The signal is
 * the bench probe's count of room starts (`onStart` runs once per object
 * instance, so a rise means the object was evicted and rebuilt) and of
 * document loads.
 *
 * On each Edgeroom server, two rooms hold the same seeded document (about
 * 1.6 MB in the full run) with two sockets each that send the app
 * heartbeat, which workerd answers without waking the room, like real tabs.
 * After one idle spell shared by every room, one room is woken by an
 * awareness frame alone (timed until the other socket receives it; it must
 * not build the document: a lazy load), a second by a document frame (the
 * reader's sync step 1, as a tab sends on reconnecting, timed until its step
 * 2: answered from the stored update, no document built), and a third by an
 * edit (an update until its `doc-ack`, which needs the document built, checked
 * and the update stored). A fourth room whose sockets all left is the control.
 * Both Edgeroom servers idle together, so the spell is paid once.
 */
import { encodeSyncStep1, HEARTBEAT_PING } from "@edgeroom/shared";
import type { HeadlessClient } from "@edgeroom/testkit";
import { openClient } from "@edgeroom/testkit/node";
import * as Y from "yjs";
import { sleep } from "./bench-client.ts";
import { traceDocument } from "./edit-trace.ts";
import { freshRoom } from "./rooms.ts";
import { round, summarize } from "./stats.ts";
import { roomUrl, type ServerKind, type Target } from "./wire.ts";

export interface WakeTiming {
  /** The room object started again for this frame: it had been evicted (false: it was still, or again, in memory). */
  evicted: boolean;
  ms: number;
  /** Frames sent until one found the room evicted (each after another idle spell), or all tried. */
  attempts: number;
  /** The room built its document from storage for this frame (the lazy load). */
  loadedDocument: boolean;
  /** The same round trip on the same room while it was awake, p50 of 5. */
  warmMs: number;
}

export interface HibernationResult {
  server: ServerKind;
  idleSeconds: number;
  documentBytes: number;
  /** Room starts of the awareness room before the idle spell and after its first edit. */
  startsBefore: number;
  startsAfter: number;
  evictedWithSocketsOpen: boolean;
  /** The awareness room was rebuilt between the start of the idle spell and its first edit (by its sweep alarm or the awareness frame)… */
  rebuiltBeforeFirstEdit: boolean;
  /** …and built its document this many times before that edit: 0 with a lazy load (the alarm and awareness need none). */
  documentLoadsBeforeFirstEdit: number;
  /** The first edit built it (which shows the count works). */
  firstEditLoadedDocument: boolean;
  /** Awareness sent by one socket until the other socket receives it. */
  awarenessWake: WakeTiming;
  /** The reader's sync step 1 until its step 2, in a second room: answered from the stored update. */
  documentWake: WakeTiming;
  /** An update until its `doc-ack`, in a third room: the document is built from storage and the update stored. */
  editWake: WakeTiming;
  /** The control room, whose sockets all left: was it evicted and rebuilt when someone came back? */
  controlEvicted: boolean;
  controlRejoinMs: number;
}

interface Probe {
  starts: number;
  documentLoads: number;
}

interface Rooms {
  target: Target;
  awareness: Pair;
  document: Pair;
  edit: Pair;
  control: string;
  warmAwareness: number[];
  warmDocument: number[];
  warmEdit: number[];
  startsBeforeIdle: Probe;
}

interface Pair {
  room: string;
  writer: HeadlessClient;
  reader: HeadlessClient;
}

/**
 * The room's own wakes (its sweep alarm, a socket's check-in) come every ~10 s, about as often as
 * local workerd evicts an idle object, so a frame can find the room just woken. A wake that found
 * it in memory is tried again after another idle spell, this long plus a little more each time.
 */
const RETRY_IDLE_SECONDS = 12;

export async function runHibernation(
  targets: Target[],
  options: { idleSeconds: number; documentBytes: number; wakeAttempts: number },
): Promise<HibernationResult[]> {
  const document = traceDocument(options.documentBytes);
  const prepared: Rooms[] = [];
  for (const target of targets) prepared.push(await prepare(target, document));
  for (const rooms of prepared) rooms.startsBeforeIdle = await probe(rooms.target, rooms.awareness.room);

  const everyone = prepared
    .flatMap((r) => [r.awareness, r.document, r.edit])
    .flatMap((p) => [p.writer, p.reader]);
  heartbeatFor(everyone, options.idleSeconds);
  await sleep(options.idleSeconds * 1000);

  const awarenessWakes = new Map<Rooms, WakeTiming>();
  const documentWakes = new Map<Rooms, WakeTiming>();
  const editWakes = new Map<Rooms, WakeTiming>();
  const afterAwareness = new Map<Rooms, Probe>();
  for (let attempt = 1; attempt <= options.wakeAttempts; attempt += 1) {
    if (attempt > 1) {
      const left = prepared.some(
        (r) =>
          !awarenessWakes.get(r)?.evicted || !documentWakes.get(r)?.evicted || !editWakes.get(r)?.evicted,
      );
      if (!left) break;
      heartbeatFor(everyone, RETRY_IDLE_SECONDS + 2.5 * attempt);
      await sleep((RETRY_IDLE_SECONDS + 2.5 * attempt) * 1000);
    }
    for (const rooms of prepared) {
      if (!awarenessWakes.get(rooms)?.evicted) {
        const before = await probe(rooms.target, rooms.awareness.room);
        const ms = await awarenessRoundTrip(rooms.awareness);
        const after = await probe(rooms.target, rooms.awareness.room);
        if (attempt === 1) afterAwareness.set(rooms, after);
        awarenessWakes.set(rooms, wakeTiming(before, after, ms, attempt, rooms.warmAwareness));
      }
      if (!documentWakes.get(rooms)?.evicted) {
        const before = await probe(rooms.target, rooms.document.room);
        const ms = await syncRoundTrip(rooms.document);
        const after = await probe(rooms.target, rooms.document.room);
        documentWakes.set(rooms, wakeTiming(before, after, ms, attempt, rooms.warmDocument));
      }
      if (!editWakes.get(rooms)?.evicted) {
        const before = await probe(rooms.target, rooms.edit.room);
        const ms = await timed(() => rooms.edit.writer.type("x"));
        const after = await probe(rooms.target, rooms.edit.room);
        editWakes.set(rooms, wakeTiming(before, after, ms, attempt, rooms.warmEdit));
      }
    }
  }

  const results: HibernationResult[] = [];
  for (const rooms of prepared) {
    const awarenessWake = awarenessWakes.get(rooms);
    const documentWake = documentWakes.get(rooms);
    const editWake = editWakes.get(rooms);
    const probed = afterAwareness.get(rooms);
    if (!awarenessWake || !documentWake || !editWake || !probed) throw new Error("no wake was timed");
    results.push(
      await finish(rooms, options, document.update.byteLength, {
        awarenessWake,
        documentWake,
        editWake,
        probed,
      }),
    );
  }
  for (const client of everyone) client.socket.close();
  return results;
}

/** Keeps the sockets' heartbeats going through a spell, as open tabs do. */
function heartbeatFor(clients: HeadlessClient[], seconds: number): void {
  const beat = setInterval(() => {
    for (const client of clients) client.socket.send(HEARTBEAT_PING);
  }, 5_000);
  setTimeout(() => clearInterval(beat), seconds * 1000);
}

function wakeTiming(before: Probe, after: Probe, ms: number, attempts: number, warm: number[]): WakeTiming {
  return {
    evicted: after.starts > before.starts,
    ms: round(ms),
    attempts,
    loadedDocument: after.documentLoads > before.documentLoads,
    warmMs: summarize(warm).p50,
  };
}

async function prepare(target: Target, document: { update: Uint8Array; textLength: number }): Promise<Rooms> {
  const awareness = await seededPair(target, document, "hibernation-awareness");
  const documentPair = await seededPair(target, document, "hibernation-document");
  const edit = await seededPair(target, document, "hibernation-edit");
  const warmAwareness: number[] = [];
  const warmDocument: number[] = [];
  const warmEdit: number[] = [];
  for (let i = 0; i < 5; i += 1) {
    warmAwareness.push(await awarenessRoundTrip(awareness));
    warmDocument.push(await syncRoundTrip(documentPair));
    warmEdit.push(await timed(() => edit.writer.type("w")));
  }
  const control = freshRoom("hibernation-control");
  const controlClient = await connect(target, control, "c");
  await controlClient.type("c");
  controlClient.socket.close();
  return {
    target,
    awareness,
    document: documentPair,
    edit,
    control,
    warmAwareness,
    warmDocument,
    warmEdit,
    startsBeforeIdle: { starts: 0, documentLoads: 0 },
  };
}

/** The lazy-load checks on the awareness room (its first wake was awareness alone), and the control. */
async function finish(
  rooms: Rooms,
  options: { idleSeconds: number },
  documentBytes: number,
  wakes: { awarenessWake: WakeTiming; documentWake: WakeTiming; editWake: WakeTiming; probed: Probe },
): Promise<HibernationResult> {
  const { target } = rooms;
  const afterAwareness = wakes.probed;
  const beforeEdit = await probe(target, rooms.awareness.room);
  await rooms.awareness.writer.type("x");
  const afterEdit = await probe(target, rooms.awareness.room);

  const controlStartsBefore = (await probe(target, rooms.control)).starts;
  const rejoinStarted = performance.now();
  const rejoined = await connect(target, rooms.control, "c2");
  const controlRejoinMs = performance.now() - rejoinStarted;
  const controlEvicted = (await probe(target, rooms.control)).starts > controlStartsBefore;
  rejoined.socket.close();

  const before = rooms.startsBeforeIdle;
  return {
    server: target.kind,
    idleSeconds: options.idleSeconds,
    documentBytes,
    startsBefore: before.starts,
    startsAfter: afterEdit.starts,
    evictedWithSocketsOpen: afterEdit.starts > before.starts,
    rebuiltBeforeFirstEdit: afterAwareness.starts > before.starts,
    documentLoadsBeforeFirstEdit: beforeEdit.documentLoads - before.documentLoads,
    firstEditLoadedDocument: afterEdit.documentLoads > beforeEdit.documentLoads,
    awarenessWake: wakes.awarenessWake,
    documentWake: wakes.documentWake,
    editWake: wakes.editWake,
    controlEvicted,
    controlRejoinMs: round(controlRejoinMs),
  };
}

/** A room holding the document, handed over by the writer's first sync reply, and a reader that synced it. */
async function seededPair(
  target: Target,
  document: { update: Uint8Array; textLength: number },
  label: string,
): Promise<Pair> {
  const room = freshRoom(label);
  const doc = new Y.Doc();
  Y.applyUpdate(doc, document.update);
  const writer = await connect(target, room, "w", doc);
  await writer.settled();
  const reader = await connect(target, room, "r");
  await reader.until(() => reader.text.length >= document.textLength, 30_000);
  return { room, writer, reader };
}

/** An awareness client id of the writer's own, so the reader can tell its state arrived. */
const AWARENESS_CLIENT = 424_242;
let awarenessClock = 0;

/** Awareness alone, as a tab that only moved its caret or went idle: until the other socket has it. */
async function awarenessRoundTrip(pair: Pair): Promise<number> {
  awarenessClock += 1;
  const clock = awarenessClock;
  const started = performance.now();
  pair.writer.setAwareness(AWARENESS_CLIENT, clock, {
    user: { name: "w", color: "#555555" },
    status: "idle",
  });
  await pair.reader.until(() => (pair.reader.awareness.get(AWARENESS_CLIENT)?.clock ?? 0) >= clock, 10_000);
  return performance.now() - started;
}

/** The reader's sync step 1 (it holds the document, as a reconnecting tab does) until the room's step 2. */
async function syncRoundTrip(pair: Pair): Promise<number> {
  const answered = pair.reader.binaryFrames.length;
  const isStep2 = (frame: Uint8Array) => frame[0] === 0 && frame[1] === 1;
  const started = performance.now();
  pair.reader.sendMessage(encodeSyncStep1(pair.reader.doc));
  await pair.reader.until(() => pair.reader.binaryFrames.slice(answered).some(isStep2), 10_000);
  return performance.now() - started;
}

async function probe(target: Target, room: string): Promise<Probe> {
  if (!target.probeUrl) throw new Error("hibernation needs the Edgeroom bench probe");
  const response = await fetch(`${target.probeUrl}?room=${room}`);
  return (await response.json()) as Probe;
}

async function connect(target: Target, room: string, name: string, doc?: Y.Doc): Promise<HeadlessClient> {
  const client = await openClient(roomUrl(target, room), {
    user: { name, color: "#555555" },
    ...(doc ? { doc } : {}),
  });
  await client.synced;
  return client;
}

async function timed(action: () => Promise<void>): Promise<number> {
  const started = performance.now();
  await action();
  return performance.now() - started;
}
