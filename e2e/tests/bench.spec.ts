/**
 * Runs the side-by-side benchmark in its tiny mode (three real servers, every
 * workload, a few clients each) so it cannot rot. It checks
 * behaviour, never speed: every server delivered every edit and synced every
 * newcomer, the cursor lane batched, and the report has a row per server.
 */
import { expect, test } from "../support/test.ts";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { LIMITS } from "@edgeroom/shared";
import { benchAndReport } from "../../bench/cli.ts";
import { writersFor } from "../../bench/load/apply-throughput.ts";
import { PLANS } from "../../bench/plan.ts";
import { SPARE_PORT_BASE } from "../support/shared-server.ts";

test("the tiny benchmark measures all three servers and writes the table and chart", async () => {
  test.setTimeout(180_000);
  const outDir = mkdtempSync(join(tmpdir(), "edgeroom-bench-"));
  // Ports after the ones other tests start servers on.
  const base = SPARE_PORT_BASE + 4;
  const { results } = await benchAndReport(
    "tiny",
    { edgeroom: base, hocuspocus: base + 1, relay: base + 2 },
    outDir,
    () => undefined,
  );

  for (const row of results.edits) expect(row.delivered, row.server).toBe(row.expectedDeliveries);
  for (const row of results.firstSync) {
    expect(row.synced, row.server).toBe(row.samples);
    // The trace stops growing the document within a few percent past its target size.
    expect(row.encodedBytes).toBeGreaterThanOrEqual(row.targetBytes);
    expect(row.encodedBytes).toBeLessThan(row.targetBytes * 1.05);
  }
  for (const row of results.throughput) {
    expect(row.stages[0]?.delivered, row.server).toBe(row.stages[0]?.sent);
    // Writers stay under Edgeroom's per-socket budget, so the room is measured and not the throttle.
    for (const stage of row.stages)
      expect(stage.rate / stage.writers).toBeLessThan(LIMITS.rateLimits.document.perSecond);
  }
  for (const row of results.memory) expect(row.opened, row.server).toBe(row.idle);
  for (const row of results.cursors) expect(row.movesDelivered, row.server).toBeGreaterThan(0);
  const edgeroomCursors = results.cursors.find((r) => r.server === "edgeroom");
  // At most one batch per recipient per 50 ms tick (plus the trailing flush), unlike a relay.
  expect(edgeroomCursors?.framesPerRecipientPerTick).toBeLessThanOrEqual(1.1);
  expect(results.load.jobs).toBeGreaterThan(0);
  // An idle room whose sockets stay open leaves memory (its start count rises on the next message),
  // and so does one everybody left.
  expect(results.hibernation?.evictedWithSocketsOpen, "evicted with sockets open").toBe(true);
  expect(results.hibernation?.controlEvicted, "evicted after everyone left").toBe(true);
  // Every round trip was answered, the stored update by its doc-ack.
  for (const trip of ["transport", "roomCode", "storedUpdate"] as const)
    expect(results.roundTrips?.[trip].count, trip).toBe(PLANS.tiny.roundTrips);

  const table = readFileSync(join(outDir, "latest.md"), "utf8");
  for (const server of ["Edgeroom", "Hocuspocus", "ws relay"])
    expect(table.match(new RegExp(`\\| ${server} \\|`, "g"))?.length, server).toBe(5);
  expect(table).toContain("## Targets");
  expect(table).toContain("update → doc-ack");
  expect(readFileSync(join(outDir, "latest.svg"), "utf8")).toMatch(/^<svg[\s\S]*<\/svg>\n$/);
});

test("every planned throughput stage spreads its rate over writers within the per-socket budget", () => {
  for (const mode of ["tiny", "quick", "full"] as const)
    for (const rate of PLANS[mode].throughput.rates) {
      const writers = writersFor(rate);
      expect(rate / writers, `${mode} ${rate}/s`).toBeLessThan(LIMITS.rateLimits.document.perSecond);
      // Writers and the observer must fit in one Edgeroom room.
      expect(writers + 1, `${mode} ${rate}/s`).toBeLessThanOrEqual(LIMITS.maxConnectionsPerRoom);
    }
});
