/**
 * Workload 6 (Edgeroom only): does an idle room with open sockets leave
 * memory, and what does the first message after that cost? The signal is
 * the bench probe's count of room starts (`onStart` runs once per object
 * instance). Two clients stay connected and send the app heartbeat, which
 * workerd answers without waking the room, like real tabs. A second room
 * whose sockets all left is the control: it shows that the runtime does
 * evict idle objects here.
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
  const starts = async (room: string): Promise<number> => {
    const response = await fetch(`${probeUrl}?room=${room}`);
    return ((await response.json()) as { starts: number }).starts;
  };
  const room = freshRoom("hibernation");
  const control = freshRoom("hibernation-control");
  const [writer, reader] = [await connect(target, room, "w"), await connect(target, room, "r")];
  const warm: number[] = [];
  for (let i = 0; i < 5; i += 1) warm.push(await timed(() => writer.type("w")));
  const controlClient = await connect(target, control, "c");
  await controlClient.type("c");
  controlClient.socket.close();

  const startsBefore = await starts(room);
  const heartbeat = setInterval(() => {
    for (const client of [writer, reader]) client.socket.send(HEARTBEAT_PING);
  }, 5_000);
  await sleep(options.idleSeconds * 1000);
  clearInterval(heartbeat);
  const firstMessageAfterIdleMs = await timed(() => writer.type("x"));
  const startsAfter = await starts(room);

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
    firstMessageAfterIdleMs: round(firstMessageAfterIdleMs),
    warmMessageMs: summarize(warm).p50,
    controlEvicted,
    controlRejoinMs: round(controlRejoinMs),
  };
}

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
