/**
 * How the benchmark proves hibernation: the count of room object starts
 * (`onStart` runs once per object instance, so again after every eviction),
 * and of document loads (a wake that needs no document must not build one).
 * The count lives in the isolate, which outlives the evicted object. It is
 * served only when `wrangler dev --var EDGEROOM_BENCH:1` set the variable,
 * so a deployed Worker answers that path like any other.
 */
const starts = new Map<string, number>();
/** How often each room built its document from storage: a wake for awareness alone must not (issue 18's lazy load). */
const documentLoads = new Map<string, number>();

export function noteRoomStart(room: string): void {
  starts.set(room, (starts.get(room) ?? 0) + 1);
}

export function noteDocumentLoad(room: string): void {
  documentLoads.set(room, (documentLoads.get(room) ?? 0) + 1);
}

// Under /parties/ because only that prefix reaches the Worker before static assets.
export const BENCH_PROBE_PATH = "/parties/__bench/room-starts";

export function benchProbe(request: Request, env: Env): Response | undefined {
  if (env.EDGEROOM_BENCH !== "1") return undefined;
  const url = new URL(request.url);
  if (url.pathname !== BENCH_PROBE_PATH) return undefined;
  const room = url.searchParams.get("room") ?? "";
  return Response.json({ room, starts: starts.get(room) ?? 0, documentLoads: documentLoads.get(room) ?? 0 });
}
