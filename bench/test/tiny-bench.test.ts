/**
 * Runs the side-by-side benchmark in its tiny mode (three real servers, every
 * workload, a few clients each) so it cannot rot. It checks
 * behaviour, never speed: every server delivered every edit and synced every
 * newcomer, the cursor lane batched, and the report has a row per server.
 * Needs the built web app (`pnpm build`), which `wrangler dev` serves.
 */
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { LIMITS } from "@edgeroom/shared";
import { benchAndReport } from "../cli.ts";
import { writersFor } from "../load/apply-throughput.ts";
import { PLANS } from "../plan.ts";

/** Three ports from here: apart from `pnpm bench`'s (8880…) and the e2e servers' (8791…8813). */
const BASE_PORT = Number(process.env["EDGEROOM_BENCH_TEST_PORT"] ?? 8870);

test(
  "the tiny benchmark measures all three servers and writes the table and chart",
  { timeout: 180_000 },
  async () => {
    const outDir = mkdtempSync(join(tmpdir(), "edgeroom-bench-"));
    const { results } = await benchAndReport(
      "tiny",
      { edgeroom: BASE_PORT, hocuspocus: BASE_PORT + 1, relay: BASE_PORT + 2 },
      outDir,
      () => undefined,
    );

    for (const row of results.edits) assert.equal(row.delivered, row.expectedDeliveries, row.server);
    for (const row of results.firstSync) {
      assert.equal(row.synced, row.samples, row.server);
      // The trace stops growing the document within a few percent past its target size.
      assert.ok(
        row.encodedBytes >= row.targetBytes,
        `${row.server}: ${row.encodedBytes} < ${row.targetBytes}`,
      );
      assert.ok(row.encodedBytes < row.targetBytes * 1.05, `${row.server}: ${row.encodedBytes} too large`);
    }
    for (const row of results.throughput) {
      assert.equal(row.stages[0]?.delivered, row.stages[0]?.sent, row.server);
      // Writers stay under Edgeroom's per-socket budget, so the room is measured and not the throttle.
      for (const stage of row.stages)
        assert.ok(stage.rate / stage.writers < LIMITS.rateLimits.document.perSecond, row.server);
    }
    for (const row of results.memory) assert.equal(row.opened, row.idle, row.server);
    for (const row of results.cursors) assert.ok(row.movesDelivered > 0, row.server);
    const edgeroomCursors = results.cursors.find((r) => r.server === "edgeroom");
    // At most one batch per recipient per 50 ms tick (plus the trailing flush), unlike a relay.
    assert.ok((edgeroomCursors?.framesPerRecipientPerTick ?? Infinity) <= 1.1, "edgeroom cursor batching");
    assert.ok(results.load.jobs > 0, "load jobs");
    // An idle room whose sockets stay open leaves memory (its start count rises on the next message),
    // and so does one everybody left.
    assert.equal(results.hibernation?.evictedWithSocketsOpen, true, "evicted with sockets open");
    assert.equal(results.hibernation?.controlEvicted, true, "evicted after everyone left");
    // Wakes that need no document (the sweep alarm, awareness alone) do not build it; the first edit does.
    assert.equal(results.hibernation?.rebuiltBeforeFirstEdit, true, "rebuilt before the first edit");
    assert.equal(
      results.hibernation?.documentLoadsBeforeFirstEdit,
      0,
      "no document load for an alarm or awareness wake",
    );
    assert.equal(results.hibernation?.firstEditLoadedDocument, true, "the first edit loads the document");
    // Every round trip was answered, the stored update by its doc-ack.
    for (const trip of ["transport", "roomCode", "storedUpdate"] as const)
      assert.equal(results.roundTrips?.[trip].count, PLANS.tiny.roundTrips, trip);

    const table = readFileSync(join(outDir, "latest.md"), "utf8");
    for (const server of ["Edgeroom", "Hocuspocus", "ws relay"])
      assert.equal(table.match(new RegExp(`\\| ${server} \\|`, "g"))?.length, 5, server);
    assert.ok(table.includes("## Targets"));
    assert.ok(table.includes("update → doc-ack"));
    assert.match(readFileSync(join(outDir, "latest.svg"), "utf8"), /^<svg[\s\S]*<\/svg>\n$/);
  },
);

test("every planned throughput stage spreads its rate over writers within the per-socket budget", () => {
  for (const mode of ["tiny", "quick", "full"] as const)
    for (const rate of PLANS[mode].throughput.rates) {
      const writers = writersFor(rate);
      assert.ok(rate / writers < LIMITS.rateLimits.document.perSecond, `${mode} ${rate}/s`);
      // Writers and the observer must fit in one Edgeroom room.
      assert.ok(writers + 1 <= LIMITS.maxConnectionsPerRoom, `${mode} ${rate}/s`);
    }
});
