/**
 * Workload 7 (Edgeroom only): where an edit's time goes. One socket, three
 * round trips taken in turn: the heartbeat, which workerd answers without
 * running room code (the transport alone); a sync step 1, answered by room
 * code that writes nothing; and a document update, answered by `doc-ack`
 * only once the update is stored in SQLite. The differences split the
 * transport, the room's code and the durable write apart.
 */
import { encodeSyncStep1, encodeSyncUpdate, HEARTBEAT_PING, HEARTBEAT_PONG } from "@edgeroom/shared";
import * as Y from "yjs";
import { openBenchClient, sleep } from "./bench-client.ts";
import { freshRoom } from "./rooms.ts";
import { summarize, type LatencySummary } from "./stats.ts";
import type { Target } from "./wire.ts";

export interface RoundTripResult {
  /** Heartbeat to answer: workerd's auto-response, no room code. */
  transport: LatencySummary;
  /** Sync step 1 to step 2: room code, nothing stored. */
  roomCode: LatencySummary;
  /** Update to `doc-ack`: room code and the SQLite write the acknowledgement waits for. */
  storedUpdate: LatencySummary;
}

/** A pause between rounds keeps the socket well inside its document budget. */
const PAUSE_MS = 50;

export async function runRoundTrips(target: Target, options: { samples: number }): Promise<RoundTripResult> {
  const doc = new Y.Doc();
  let waiting: ((text: string | undefined) => void) | undefined;
  const client = await openBenchClient(target, freshRoom("round-trips"), {
    doc,
    hello: true,
    handlers: {
      onText: (text) => waiting?.(text),
      onUpdate: (_update, kind) => kind === "sync-step2" && waiting?.(undefined),
    },
  });
  await client.synced;
  await sleep(200);
  const timed = (send: () => void, answered: (text: string | undefined) => boolean): Promise<number> =>
    new Promise((resolve, reject) => {
      const started = performance.now();
      const timer = setTimeout(() => reject(new Error("round trip not answered in 5 s")), 5_000);
      waiting = (text) => {
        if (!answered(text)) return;
        clearTimeout(timer);
        waiting = undefined;
        resolve(performance.now() - started);
      };
      send();
    });
  const transport: number[] = [];
  const roomCode: number[] = [];
  const storedUpdate: number[] = [];
  try {
    for (let i = 0; i < options.samples; i += 1) {
      transport.push(
        await timed(
          () => client.sendText(HEARTBEAT_PING),
          (text) => text === HEARTBEAT_PONG,
        ),
      );
      roomCode.push(
        await timed(
          () => client.sendMessage(encodeSyncStep1(doc)),
          (text) => text === undefined,
        ),
      );
      const update = typeOne(doc);
      storedUpdate.push(
        await timed(
          () => client.sendMessage(encodeSyncUpdate(update)),
          (text) => text?.includes('"doc-ack"') ?? false,
        ),
      );
      await sleep(PAUSE_MS);
    }
  } finally {
    await client.close();
  }
  return {
    transport: summarize(transport),
    roomCode: summarize(roomCode),
    storedUpdate: summarize(storedUpdate),
  };
}

function typeOne(doc: Y.Doc): Uint8Array {
  let update: Uint8Array | undefined;
  doc.once("update", (u: Uint8Array) => (update = u));
  doc.getText("content").insert(0, "x");
  if (!update) throw new Error("typing produced no update");
  return update;
}
