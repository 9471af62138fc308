/**
 * Runs the side-by-side benchmark in its tiny mode (real servers: Edgeroom on
 * wrangler dev and on workerd directly, Hocuspocus, the relay; every
 * workload, a few clients each) so it cannot rot. It checks behaviour, never
 * speed: every server delivered every edit and synced every newcomer, the
 * cursor lane batched, both Edgeroom servers were evicted when idle, the
 * room limit refused the sockets past it, the bigger room delivered every
 * edit to every watcher, and the report has a row per server.
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
import type { ServerKind } from "../load/wire.ts";
import { PLANS } from "../plan.ts";
import { SERVER_NAMES } from "../report/ratios.ts";
import { portsFrom } from "../servers/start-servers.ts";

/** Six ports from here: apart from `pnpm bench`'s (8880…) and the e2e servers' (8791…8813). */
const BASE_PORT = Number(process.env["EDGEROOM_BENCH_TEST_PORT"] ?? 8870);

test(
  "the tiny benchmark measures every server and writes the table and chart",
  { timeout: 180_000 },
  async () => {
    const outDir = mkdtempSync(join(tmpdir(), "edgeroom-bench-"));
    const { results } = await benchAndReport("tiny", portsFrom(BASE_PORT), outDir, () => undefined);

    const everyServer: ServerKind[] = ["edgeroom", "edgeroom-direct", "hocuspocus", "relay"];
    for (const rows of [
      results.edits,
      results.firstSync,
      results.cursors,
      results.throughput,
      results.memory,
    ])
      assert.deepEqual(
        rows.map((r) => r.server),
        everyServer,
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
    for (const server of ["edgeroom", "edgeroom-direct"] as const) {
      const cursors = results.cursors.find((r) => r.server === server);
      // At most one batch per recipient per 50 ms tick (plus the trailing flush), unlike a relay.
      assert.ok((cursors?.framesPerRecipientPerTick ?? Infinity) <= 1.1, `${server} cursor batching`);
    }
    assert.ok(results.load.jobs > 0, "load jobs");
    assert.deepEqual(
      results.hibernation.map((h) => h.server),
      ["edgeroom", "edgeroom-direct"],
    );
    for (const h of results.hibernation) {
      // An idle room whose sockets stay open leaves memory (its start count rises on the next message),
      // and so does one everybody left.
      assert.equal(h.evictedWithSocketsOpen, true, `${h.server}: evicted with sockets open`);
      assert.equal(h.controlEvicted, true, `${h.server}: evicted after everyone left`);
      // Wakes that need no document (the sweep alarm, awareness alone) do not build it; the first edit does.
      assert.equal(h.rebuiltBeforeFirstEdit, true, `${h.server}: rebuilt before the first edit`);
      assert.equal(
        h.documentLoadsBeforeFirstEdit,
        0,
        `${h.server}: no document load for an alarm or awareness wake`,
      );
      assert.equal(h.firstEditLoadedDocument, true, `${h.server}: the first edit loads the document`);
      // Both wakes were answered: the awareness reached the other socket, the update got its doc-ack.
      assert.ok(
        Number.isFinite(h.awarenessWake.ms) &&
          Number.isFinite(h.documentWake.ms) &&
          Number.isFinite(h.editWake.ms),
        h.server,
      );
      // A reader's sync after the wake is answered from storage: it never builds the document.
      assert.equal(h.documentWake.loadedDocument, false, h.server);
    }
    // Every round trip was answered on both Edgeroom servers, the stored update by its doc-ack.
    assert.deepEqual(
      results.roundTrips.map((r) => r.server),
      ["edgeroom", "edgeroom-direct"],
    );
    for (const row of results.roundTrips)
      for (const trip of ["transport", "roomCode", "storedUpdate"] as const)
        assert.equal(row[trip].count, PLANS.tiny.roundTrips, `${row.server} ${trip}`);
    // The room limit keeps exactly its number of sockets and closes the rest as full.
    assert.equal(results.capacity?.open, LIMITS.maxConnectionsPerRoom);
    assert.deepEqual(results.capacity?.closedWith, { "roomFull 4005": PLANS.tiny.capacityExtra });
    // The bigger room (Edgeroom with its capacity raised) let everyone in and every watcher got every edit.
    assert.deepEqual(
      results.bigRooms.map((r) => r.server),
      ["edgeroom-direct"],
    );
    for (const row of results.bigRooms) {
      assert.equal(row.open, row.sockets, row.server);
      assert.ok(row.editing.sent > 0, row.server);
      assert.equal(row.editing.deliveredAtWatchers, row.editing.expectedAtWatchers, row.server);
      assert.equal(row.editing.watchersWithEveryEdit, row.editing.watchers, row.server);
    }

    const table = readFileSync(join(outDir, "latest.md"), "utf8");
    // Rows per server: the five tables every server is in, then hibernation, round trips and the bigger room.
    const rows: Record<ServerKind, number> = {
      edgeroom: 5 + 1 + 3,
      "edgeroom-direct": 5 + 1 + 3 + 1,
      hocuspocus: 5,
      relay: 5,
    };
    for (const server of everyServer) {
      const name = SERVER_NAMES[server].replace(/[()]/g, "\\$&");
      assert.equal(table.match(new RegExp(`\\| ${name} \\|`, "g"))?.length, rows[server], server);
    }
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
