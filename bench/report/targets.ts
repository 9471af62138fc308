/**
 * Issue 18's targets, each judged from this run's figures as a ratio to
 * Hocuspocus measured in the same run: met, missed, or not measured in this
 * mode. Each is judged on Edgeroom on workerd without the dev proxy (what a
 * deployment runs) and shows the wrangler dev figure beside it.
 */
import type { ServerKind } from "../load/wire.ts";
import type { BenchResults } from "../run-bench.ts";
import { byServer, SERVER_NAMES } from "./ratios.ts";

export interface TargetCheck {
  target: string;
  verdict: "met" | "missed" | "not measured";
  /** The Edgeroom server the verdict is judged on. */
  judgedOn: ServerKind;
  detail: string;
}

/** Where the verdicts come from, and the server shown beside it. */
const JUDGED: ServerKind = "edgeroom-direct";
const BESIDE: ServerKind = "edgeroom";
/** The smallest document the wake target counts as "1.6 MB" (the trace stops a few percent past its target). */
const WAKE_DOCUMENT_BYTES = 1_500_000;

type Figure = (server: ServerKind) => number | null | undefined;

export function checkTargets(results: BenchResults): TargetCheck[] {
  const checks: TargetCheck[] = [];
  for (const clients of [10, 50]) {
    const rows = results.edits.filter((r) => r.clients === clients);
    checks.push(
      ratioTarget(
        `Edit propagation p99 at ${clients} clients ≤ 1.0× Hocuspocus`,
        (s) => byServer(rows, s)?.latency.p99,
        (r) => r <= 1,
        "ms",
      ),
    );
  }
  checks.push(
    ratioTarget(
      "Apply throughput ≥ 2× Hocuspocus",
      (s) => byServer(results.throughput, s)?.acceptedPerSecond,
      (r) => r >= 2,
      "updates/s",
    ),
    ratioTarget(
      "Memory per idle connection ≤ 2× Hocuspocus",
      (s) => {
        const bytes = byServer(results.memory, s)?.perIdleConnectionBytes;
        return bytes === undefined || bytes === null ? bytes : Math.round(bytes / 1024);
      },
      (r) => r <= 2,
      "KB",
    ),
  );
  for (const size of [16_000, 160_000, 1_600_000]) {
    const rows = results.firstSync.filter((r) => r.targetBytes === size);
    checks.push(
      ratioTarget(
        `First sync p50 of the ${size >= 1_000_000 ? `${size / 1_000_000} MB` : `${size / 1000} KB`} document ≤ 1.0× Hocuspocus`,
        (s) => byServer(rows, s)?.latency.p50,
        (r) => r <= 1,
        "ms",
      ),
    );
  }
  checks.push(...wakeTargets(results));
  const cursors = byServer(
    results.cursors.filter((r) => r.clients === 50),
    JUDGED,
  );
  const cursorsBeside = byServer(
    results.cursors.filter((r) => r.clients === 50),
    BESIDE,
  );
  checks.push(
    cursors
      ? {
          target: "Cursor frames at 50 clients ≤ one per recipient per 50 ms tick",
          judgedOn: JUDGED,
          verdict: cursors.framesPerRecipientPerTick <= 1 ? "met" : "missed",
          detail:
            `${cursors.framesPerRecipientPerTick} frames per recipient per tick (${cursors.framesPerSecond} frames/s)` +
            (cursorsBeside ? `; ${SERVER_NAMES[BESIDE]}: ${cursorsBeside.framesPerRecipientPerTick}` : ""),
        }
      : notMeasured(
          "Cursor frames at 50 clients ≤ one per recipient per 50 ms tick",
          "not part of this mode",
        ),
  );
  return checks;
}

/** A wake after eviction for a 1.6 MB document: awareness answered within 20 ms, a document frame within 100 ms. */
function wakeTargets(results: BenchResults): TargetCheck[] {
  const judged = results.hibernation.find((h) => h.server === JUDGED);
  const beside = results.hibernation.find((h) => h.server === BESIDE);
  const wakes = [
    { name: "an awareness frame (relayed to the other socket)", limit: 20, pick: "awarenessWake" },
    { name: "a document frame (a reader's sync step 1 until its step 2)", limit: 100, pick: "documentWake" },
  ] as const;
  return wakes.map(({ name, limit, pick }) => {
    const target = `A wake after eviction for a 1.6 MB document answers ${name} within ${limit} ms`;
    if (!judged) return notMeasured(target, "the hibernation workload is not part of this mode");
    if (judged.documentBytes < WAKE_DOCUMENT_BYTES)
      return notMeasured(
        target,
        `this mode's rooms hold ${Math.round(judged.documentBytes / 1000)} KB, not 1.6 MB`,
      );
    const wake = judged[pick];
    const besideText = beside
      ? `; ${SERVER_NAMES[BESIDE]}: ${beside[pick].ms} ms${beside[pick].evicted ? "" : " (not evicted)"}`
      : "";
    if (!wake.evicted)
      return notMeasured(
        target,
        `the room was in memory when the frame came (${wake.ms} ms), so no wake was timed${besideText}`,
      );
    return {
      target,
      judgedOn: JUDGED,
      verdict: wake.ms <= limit ? "met" : "missed",
      detail: `${wake.ms} ms (warm: ${wake.warmMs} ms)${besideText}`,
    };
  });
}

function ratioTarget(
  target: string,
  figure: Figure,
  holds: (ratio: number) => boolean,
  unit: string,
): TargetCheck {
  const [edgeroom, beside, hocuspocus] = [figure(JUDGED), figure(BESIDE), figure("hocuspocus")];
  // A workload whose samples all failed leaves no figure (null in the JSON): that is a miss, not a pass.
  if (missing(hocuspocus) && missing(edgeroom)) return notMeasured(target, "not part of this mode");
  if (missing(edgeroom))
    return {
      target,
      judgedOn: JUDGED,
      verdict: "missed",
      detail: `${SERVER_NAMES[JUDGED]} gave no figure: none of its samples finished`,
    };
  if (missing(hocuspocus) || hocuspocus === 0) return notMeasured(target, "Hocuspocus gave no figure");
  const ratioOf = (value: number): string => `${(value / hocuspocus).toFixed(2)}×`;
  const besideText = missing(beside)
    ? ""
    : `; ${SERVER_NAMES[BESIDE]}: ${beside} ${unit} (${ratioOf(beside)})`;
  return {
    target,
    judgedOn: JUDGED,
    verdict: holds(edgeroom / hocuspocus) ? "met" : "missed",
    detail: `${edgeroom} ${unit} vs Hocuspocus ${hocuspocus} ${unit}: ${ratioOf(edgeroom)}${besideText}`,
  };
}

function missing(value: number | null | undefined): value is null | undefined {
  return value === undefined || value === null || Number.isNaN(value);
}

function notMeasured(target: string, detail: string): TargetCheck {
  return { target, judgedOn: JUDGED, verdict: "not measured", detail };
}
