/**
 * Workload 6 (Edgeroom only): does an idle room with open sockets leave
 * memory, and what does the first message after that cost? The signal is
 * the bench probe's count of room starts (`onStart` runs once per object
 * instance). Two clients stay connected and send the app heartbeat, which
 * workerd answers without waking the room, like real tabs. A second room
 * whose sockets all left is the control: it shows that the runtime does
 * evict idle objects here. The first message after the idle spell is
 * awareness alone, and the probe's count of document loads shows whether
 * that wake built the document (it must not: a lazy load).
 */
import { HEARTBEAT_PING } from "@edgeroom/shared";
import type { HeadlessClient } from "@edgeroom/testkit";
import { openClient } from "@edgeroom/testkit/node";
import { sleep } from "./bench-client.ts";
import { freshRoom } from "./rooms.ts";
import { round, summarize } from "./stats.ts";
import { roomUrl, type Target } from "./wire.ts";

export interface HibernationResult {
  idleSeconds: number;
  /** Room starts seen while idle and after the first message; a rise means the object was evicted and rebuilt. */
  startsBefore: number;
  startsAfter: number;
  evictedWithSocketsOpen: boolean;
  /** The room object was rebuilt between the start of the idle spell and the first edit (by its sweep alarm or the awareness frame)… */
  rebuiltBeforeFirstEdit: boolean;
  /** …and built its document this many times before that edit: 0 with a lazy load (the alarm and awareness need none). */
  documentLoadsBeforeFirstEdit: number;
  /** The first edit built it (which shows the count works). */
  firstEditLoadedDocument: boolean;
  /** The first document message after the idle spell (the wake above already happened; this pays the document load). */
  firstMessageAfterIdleMs: number;
  warmMessageMs: number;
  /** The control room, whose sockets all left: was it evicted and rebuilt when someone came back? */
  controlEvicted: boolean;
  controlRejoinMs: number;
}

export async function runHibernation(
  target: Target,
  options: { idleSeconds: number },
): Promise<HibernationResult> {
  if (!target.probeUrl) throw new Error("hibernation needs the Edgeroom bench probe");
  const probeUrl = target.probeUrl;
  const probe = async (room: string): Promise<{ starts: number; documentLoads: number }> => {
    const response = await fetch(`${probeUrl}?room=${room}`);
    return (await response.json()) as { starts: number; documentLoads: number };
  };
  const starts = async (room: string): Promise<number> => (await probe(room)).starts;
  const room = freshRoom("hibernation");
  const control = freshRoom("hibernation-control");
  const [writer, reader] = [await connect(target, room, "w"), await connect(target, room, "r")];
  const warm: number[] = [];
  for (let i = 0; i < 5; i += 1) warm.push(await timed(() => writer.type("w")));
  const controlClient = await connect(target, control, "c");
  await controlClient.type("c");
  controlClient.socket.close();

  const before = await probe(room);
  const startsBefore = before.starts;
  const heartbeat = setInterval(() => {
    for (const client of [writer, reader]) client.socket.send(HEARTBEAT_PING);
  }, 5_000);
  await sleep(options.idleSeconds * 1000);
  clearInterval(heartbeat);
  // Awareness alone, as a tab that only moved its caret or went idle: relayed once the room is up.
  writer.setAwareness(AWARENESS_CLIENT, 1, { user: { name: "w", color: "#555555" }, status: "idle" });
  await reader.until(() => reader.awareness.has(AWARENESS_CLIENT), 10_000);
  const afterAwareness = await probe(room);
  const firstMessageAfterIdleMs = await timed(() => writer.type("x"));
  const afterEdit = await probe(room);
  const startsAfter = afterEdit.starts;

  const controlStartsBefore = await starts(control);
  const rejoinStarted = performance.now();
  const rejoined = await connect(target, control, "c2");
  const controlRejoinMs = performance.now() - rejoinStarted;
  const controlEvicted = (await starts(control)) > controlStartsBefore;
  for (const client of [writer, reader, rejoined]) client.socket.close();
  return {
    idleSeconds: options.idleSeconds,
    startsBefore,
    startsAfter,
    evictedWithSocketsOpen: startsAfter > startsBefore,
    rebuiltBeforeFirstEdit: afterAwareness.starts > before.starts,
    documentLoadsBeforeFirstEdit: afterAwareness.documentLoads - before.documentLoads,
    firstEditLoadedDocument: afterEdit.documentLoads > afterAwareness.documentLoads,
    firstMessageAfterIdleMs: round(firstMessageAfterIdleMs),
    warmMessageMs: summarize(warm).p50,
    controlEvicted,
    controlRejoinMs: round(controlRejoinMs),
  };
}

/** An awareness client id of the writer's own, so the reader can tell its state arrived. */
const AWARENESS_CLIENT = 424_242;

async function connect(target: Target, room: string, name: string): Promise<HeadlessClient> {
  const client = await openClient(roomUrl(target, room), { user: { name, color: "#555555" } });
  await client.synced;
  return client;
}

async function timed(action: () => Promise<void>): Promise<number> {
  const started = performance.now();
  await action();
  return performance.now() - started;
}
