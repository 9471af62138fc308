/** The targets, each judged from this run's figures: met, missed, or not measured in this mode. */
import type { BenchResults } from "../run-bench.ts";
import { byServer } from "./ratios.ts";

export interface TargetCheck {
  target: string;
  verdict: "met" | "missed" | "not measured";
  detail: string;
}

export function checkTargets(results: BenchResults): TargetCheck[] {
  const checks: TargetCheck[] = [];
  for (const clients of [10, 50]) {
    const rows = results.edits.filter((r) => r.clients === clients);
    const [edgeroom, hocuspocus, relay] = (["edgeroom", "hocuspocus", "relay"] as const).map(
      (s) => byServer(rows, s)?.latency.p99,
    );
    checks.push(
      judge(
        `Edit propagation p99 at ${clients} clients ≤ Hocuspocus`,
        edgeroom,
        hocuspocus,
        (e, h) => e <= h,
        (e, h) => `${e} ms vs ${h} ms`,
      ),
      judge(
        `Edit propagation p99 at ${clients} clients within 2× of the relay`,
        edgeroom,
        relay,
        (e, r) => e <= 2 * r,
        (e, r) => `${e} ms vs ${r} ms (${(e / r).toFixed(2)}×)`,
      ),
    );
  }
  const sync = results.firstSync.filter((r) => r.targetBytes === 160_000);
  checks.push(
    judge(
      "First sync of the 160 KB document ≤ Hocuspocus (p50)",
      byServer(sync, "edgeroom")?.latency.p50,
      byServer(sync, "hocuspocus")?.latency.p50,
      (e, h) => e <= h,
      (e, h) => `${e} ms vs ${h} ms`,
    ),
  );
  const cursors = byServer(
    results.cursors.filter((r) => r.clients === 50),
    "edgeroom",
  );
  checks.push(
    judge(
      "Cursor frames at 50 clients ≤ one per recipient per 50 ms tick",
      cursors?.framesPerRecipientPerTick,
      1,
      (e, limit) => e <= limit,
      (e) => `${e} frames per recipient per tick (${cursors?.framesPerSecond ?? 0} frames/s)`,
    ),
  );
  return checks;
}

function judge(
  target: string,
  edgeroom: number | null | undefined,
  reference: number | null | undefined,
  holds: (edgeroom: number, reference: number) => boolean,
  describe: (edgeroom: number, reference: number) => string,
): TargetCheck {
  // A workload whose samples all failed leaves no figure (null in the JSON): that is a miss, not a pass.
  const missing = (value: number | null | undefined): value is null | undefined =>
    value === undefined || value === null || Number.isNaN(value);
  if (missing(reference) && missing(edgeroom))
    return { target, verdict: "not measured", detail: "not part of this mode" };
  if (missing(edgeroom))
    return { target, verdict: "missed", detail: "Edgeroom gave no figure: none of its samples finished" };
  if (missing(reference)) return { target, verdict: "not measured", detail: "the peer gave no figure" };
  return {
    target,
    verdict: holds(edgeroom, reference) ? "met" : "missed",
    detail: describe(edgeroom, reference),
  };
}
