/**
 * How the benchmark reads a room's meter (room-meter.ts): object starts
 * (`onStart` runs once per object instance, so again after every eviction),
 * document loads (a wake that needs no document must not build one), and
 * the rest of the counts its cost section prices. The counts live in the
 * isolate, which outlives the evicted object. They are served only when
 * `wrangler dev --var EDGEROOM_BENCH:1` set the variable, so a deployed
 * Worker answers that path like any other.
 */
import { readRoomCounts, roomMeter } from "./room-meter.ts";

export function noteRoomStart(room: string): void {
  roomMeter(room).counts.starts++;
}

/** A wake for awareness alone must not build the document (issue 18's lazy load). */
export function noteDocumentLoad(room: string): void {
  roomMeter(room).counts.documentLoads++;
}

// Under /parties/ because only that prefix reaches the Worker before static assets.
export const BENCH_PROBE_PATH = "/parties/__bench/room-starts";

export function benchProbe(url: URL, env: Env): Response | undefined {
  if (env.EDGEROOM_BENCH !== "1") return undefined;
  if (url.pathname !== BENCH_PROBE_PATH) return undefined;
  const room = url.searchParams.get("room") ?? "";
  // `starts` and `documentLoads` first, as the probe always answered; the meter's other counts after.
  return Response.json({ room, ...readRoomCounts(room), at: Date.now() });
}
