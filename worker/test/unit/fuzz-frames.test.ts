/**
 * 100,000 hostile frames (mutated, truncated, random, binary and text, and
 * the known hostile Yjs updates) sent to a room while one client edits and
 * another watches. The room must answer each within the per-frame bound,
 * keep serving both clients, and end with exactly the document their
 * well-formed frames build. A mutation that happens to be a valid update is
 * well-formed too: the test applies it to the reference with plain Yjs, so
 * the room may change only as a correct Yjs peer would. The same run goes
 * through a real Durable Object's storage inside workerd in
 * `worker/test/workerd/fuzz-frames.test.ts`.
 */
import { describe, expect, it } from "vitest";
import { MemoryUpdateStore } from "../../src/room/update-store.ts";
import { expectConverged, runFuzz } from "../support/fuzz-run.ts";
import { timeFrame } from "./frame-timer.ts";

const HOSTILE_FRAMES = Number(process.env.FUZZ_FRAMES ?? 100_000);
const MAX_MS_PER_FRAME = 50;

describe("fuzz: hostile frames", () => {
  it(
    `survives ${HOSTILE_FRAMES} hostile frames with the well-formed document intact`,
    { timeout: 180_000 },
    () => {
      const run = runFuzz({ frames: HOSTILE_FRAMES, updates: new MemoryUpdateStore(), time: timeFrame });
      console.log(
        "fuzz (RoomLogic in Node):",
        JSON.stringify({ hostile: HOSTILE_FRAMES, ...run.stats, pending: run.pending }),
      );
      expect(run.stats.maxMs).toBeLessThan(MAX_MS_PER_FRAME);
      expectConverged(run, HOSTILE_FRAMES);
    },
  );
});
