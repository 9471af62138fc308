/**
 * Workload 2: time from opening a socket to holding the whole document, for
 * a newcomer to a room that already has it. The document goes in as one
 * update from a seeding client that stays connected but idle (Hocuspocus
 * without a storage extension unloads a document nobody is connected to).
 */
import * as Y from "yjs";
import { openBenchClient, sleep } from "./bench-client.ts";
import { traceDocument } from "./edit-trace.ts";
import { freshRoom } from "./rooms.ts";
import { summarize, type LatencySummary } from "./stats.ts";
import type { Target } from "./wire.ts";

export interface FirstSyncResult {
  targetBytes: number;
  encodedBytes: number;
  samples: number;
  synced: number;
  latency: LatencySummary;
}

export async function runFirstSync(
  target: Target,
  options: { targetBytes: number; samples: number },
): Promise<FirstSyncResult> {
  const { targetBytes, samples } = options;
  const document = traceDocument(targetBytes);
  const room = freshRoom("sync");
  // The seeder already holds the document and hands it over in its sync reply, as a client that
  // wrote it offline does (Edgeroom takes a whole document only in a socket's first sync step 2).
  const seeded = new Y.Doc();
  Y.applyUpdate(seeded, document.update);
  const seeder = await openBenchClient(target, room, { doc: seeded });
  // A first newcomer proves the room holds the document before the seeder leaves; it is not counted.
  await syncOnce(target, room, document.textLength, 30_000);
  await sleep(200);
  const times: number[] = [];
  for (let i = 0; i < samples; i += 1) {
    const time = await syncOnce(target, room, document.textLength, 15_000);
    if (time !== undefined) times.push(time);
  }
  await seeder.close();
  return {
    targetBytes,
    encodedBytes: document.update.byteLength,
    samples,
    synced: times.length,
    latency: summarize(times),
  };
}

async function syncOnce(target: Target, room: string, textLength: number, timeoutMs: number) {
  const started = performance.now();
  const doc = new Y.Doc();
  const text = doc.getText("content");
  let done: () => void = () => undefined;
  const synced = new Promise<void>((resolve) => (done = resolve));
  const client = await openBenchClient(target, room, {
    doc,
    handlers: {
      onUpdate: (update) => {
        Y.applyUpdate(doc, update);
        if (text.length >= textLength) done();
      },
    },
  });
  const timedOut = await Promise.race([synced.then(() => false), sleep(timeoutMs).then(() => true)]);
  const elapsed = performance.now() - started;
  await client.close();
  return timedOut ? undefined : elapsed;
}
