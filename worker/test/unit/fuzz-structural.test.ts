/**
 * Structural fuzzing in plain Node (see `test/support/fuzz-structural.ts`):
 * many seeds of well-formed hostile Yjs updates against RoomLogic, each
 * frame timed. A failing seed replays exactly; add it below by name.
 */
import { describe, expect, it } from "vitest";
import { MemoryUpdateStore } from "../../src/room/update-store.ts";
import { runStructuralFuzz } from "../support/fuzz-structural.ts";

const SEEDS = Number(process.env.STRUCTURAL_FUZZ_SEEDS ?? 12);
const FRAMES = 120;
/** Generous for a loaded 2-core machine (the slowest seen: 0.55 s); before the checks one such frame took 11–37 s. */
const MAX_FRAME_MS = 1_500;

function timed<T>(handle: () => T): { result: T; ms: number } {
  const start = performance.now();
  const result = handle();
  return { result, ms: performance.now() - start };
}

describe("fuzz: structurally valid hostile Yjs updates", () => {
  it(
    `${SEEDS} seeds × ${FRAMES} frames: one answer each, no pending state, convergence, bounded time`,
    { timeout: 240_000 },
    () => {
      const totals: Record<string, number> = {};
      let maxHostileMs = 0;
      let maxAuthorMs = 0;
      for (let seed = 1; seed <= SEEDS; seed++) {
        const run = runStructuralFuzz({
          seed,
          frames: FRAMES,
          updates: new MemoryUpdateStore(),
          time: timed,
        });
        for (const [answer, n] of Object.entries(run.answers)) totals[answer] = (totals[answer] ?? 0) + n;
        maxHostileMs = Math.max(maxHostileMs, run.maxHostileMs);
        maxAuthorMs = Math.max(maxAuthorMs, run.maxAuthorMs);
      }
      console.log(
        `structural fuzz (Node): ${JSON.stringify(totals)}; slowest hostile frame ${maxHostileMs.toFixed(1)} ms, slowest author edit ${maxAuthorMs.toFixed(1)} ms`,
      );
      expect(totals["ack"]).toBeGreaterThan(0);
      expect(totals["missing-dependencies"]).toBeGreaterThan(0);
      expect(totals["too-costly"]).toBeGreaterThan(0);
      expect(maxHostileMs).toBeLessThan(MAX_FRAME_MS);
      expect(maxAuthorMs).toBeLessThan(MAX_FRAME_MS);
    },
  );
});
