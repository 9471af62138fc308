/** `latest.md`: the run's conditions, one table per workload with ratios to the peers, and the targets. */
import { LIMITS } from "@edgeroom/shared";
import type { HibernationResult } from "../load/hibernation.ts";
import { PER_WRITER_RATE } from "../load/apply-throughput.ts";
import { round } from "../load/stats.ts";
import { isEdgeroom, type ServerKind } from "../load/wire.ts";
import { MEMORY_RESOLUTION_BYTES, type BenchResults } from "../run-bench.ts";
import { byServer, ratio, SERVER_NAMES, SERVERS } from "./ratios.ts";
import { checkTargets } from "./targets.ts";
import { costSection } from "./cost-section.ts";

export function renderMarkdown(results: BenchResults): string {
  const { machine, load } = results;
  const versions = Object.entries(machine.versions)
    .map(([name, version]) => `${name} ${version}`)
    .join(", ");
  return [
    `# Edgeroom side by side with Hocuspocus and a raw ws relay`,
    "",
    `Run ${results.startedAt} in \`${results.mode}\` mode, ${results.durationSeconds} s. ` +
      `Machine: ${machine.cores} cores (${machine.cpuModel}), load average ${machine.loadAverageAtStart.toFixed(2)} at the start ` +
      `(${machine.loadAverageAtStart >= 1 ? "other work was running on it" : "otherwise idle"}). Versions: ${versions}. Edgeroom runs twice, the ` +
      `same Worker both times (local workerd, SQLite storage on disk, every update stored before it is relayed): on ` +
      `\`wrangler dev\`, which puts a local proxy (a second workerd process) in front of the runtime, and as the bundle ` +
      `\`wrangler deploy --dry-run\` builds, run on workerd through Miniflare's API with no proxy, as a deployment has ` +
      `none; Hocuspocus with no extensions (documents only in memory); the relay forwards frames and keeps update frames ` +
      `in memory to replay to newcomers.`,
    "",
    `Load generator: one Node process apart from the servers; it used ${load.cpuSeconds} s of CPU over ${load.jobs} jobs, ` +
      `at most ${load.busiestPercent}% of one core (${load.busiestJob}).`,
    "",
    `Ratios are each Edgeroom server's figure over the peer's in this same run: below 1× means Edgeroom needed less ` +
      `(time, frames, memory). The targets are judged on Edgeroom on workerd without the dev proxy.`,
    "",
    ...section("1. Edit propagation (ms from an edit to each other client receiving it)", editTable(results)),
    ...section(
      "2. Time to first sync (ms from opening the socket to holding the document)",
      syncTable(results),
    ),
    ...section("3. Cursor fan-out (30 moves/s per client)", cursorTable(results)),
    ...section("4. Apply throughput (single-character updates/s with p95 ≤ 100 ms at an observer)", [
      ...throughputTable(results),
      "",
      `Each writer sends at most ${PER_WRITER_RATE} updates/s (Edgeroom's per-socket document budget is ` +
        `${LIMITS.rateLimits.document.perSecond}/s, and a socket above it is throttled), so a stage of R updates/s ` +
        `has max(4, R / ${PER_WRITER_RATE}) writers on every server: the room is measured, not one socket's limit.`,
    ]),
    ...section("5. Server memory", [
      ...memoryTable(results),
      "",
      "Resident memory of the process that holds the rooms (for Edgeroom the workerd runtime with the Worker and its " +
        "Durable Objects; wrangler dev's local proxy, absent when deployed, is left out). Each new room is counted with " +
        "its connections: for Edgeroom that is a Durable Object with its own SQLite database. The Node peers collect " +
        "garbage before each reading (workerd cannot be asked to, so its readings include garbage not yet collected). Resident memory is a " +
        "high-water mark: what closed sockets free is reused by the process rather than handed back, so growth after " +
        "cycles says more about the allocator than about a leak; the leak test is `worker/test/workerd/soak.test.ts`.",
    ]),
    ...section("6. Hibernation (Edgeroom only)", hibernationLines(results)),
    ...section("7. Where an edit's time goes (Edgeroom only, ms)", roundTripLines(results)),
    ...costSection(results.cost),
    ...section("9. Bigger rooms (one room, editors typing, everyone else watching)", bigRoomLines(results)),
    ...section(
      "Targets",
      checkTargets(results).map(
        (c) =>
          `- ${c.verdict === "met" ? "✅ met" : c.verdict === "missed" ? "❌ missed" : "➖ not measured"}: ${c.target}, on ${SERVER_NAMES[c.judgedOn]} (${c.detail})`,
      ),
    ),
  ].join("\n");
}

function section(title: string, lines: string[]): string[] {
  return [`## ${title}`, "", ...lines, ""];
}

function table(header: string[], rows: (string | number)[][]): string[] {
  return [
    `| ${header.join(" | ")} |`,
    `| ${header.map((_, i) => (i === 0 ? "---" : "---:")).join(" | ")} |`,
    ...rows.map((row) => `| ${row.join(" | ")} |`),
  ];
}

/** One row per server for each value of `key`, with each Edgeroom server's ratios to both peers on its own row. */
function grouped<R extends { server: ServerKind }>(
  rows: R[],
  key: (row: R) => number,
  figure: (row: R) => number,
  cells: (row: R) => (string | number)[],
): (string | number)[][] {
  const keys = [...new Set(rows.map(key))];
  return keys.flatMap((k) => {
    const group = rows.filter((r) => key(r) === k);
    return SERVERS.flatMap((server) => {
      const row = byServer(group, server);
      if (!row) return [];
      const ratios = isEdgeroom(server)
        ? [
            ratio(figure(row), mapOr(byServer(group, "hocuspocus"), figure)),
            ratio(figure(row), mapOr(byServer(group, "relay"), figure)),
          ]
        : ["", ""];
      return [[k, SERVER_NAMES[server], ...cells(row), ...ratios]];
    });
  });
}

function mapOr<T>(row: T | undefined, figure: (row: T) => number): number | undefined {
  return row === undefined ? undefined : figure(row);
}

function editTable(results: BenchResults): string[] {
  return table(
    ["clients", "server", "p50", "p95", "p99", "delivered", "p99 vs Hocuspocus", "p99 vs relay"],
    grouped(
      results.edits,
      (r) => r.clients,
      (r) => r.latency.p99,
      (r) => [r.latency.p50, r.latency.p95, r.latency.p99, `${r.delivered}/${r.expectedDeliveries}`],
    ),
  );
}

function syncTable(results: BenchResults): string[] {
  return table(
    ["document", "server", "encoded", "p50", "p95", "synced", "p50 vs Hocuspocus", "p50 vs relay"],
    grouped(
      results.firstSync,
      (r) => r.targetBytes,
      (r) => r.latency.p50,
      (r) => [kb(r.encodedBytes), r.latency.p50, r.latency.p95, `${r.synced}/${r.samples}`],
    ).map(([size, ...rest]) => [kb(Number(size)), ...rest]),
  );
}

function cursorTable(results: BenchResults): string[] {
  return table(
    [
      "clients",
      "server",
      "frames/s sent",
      "KB/s sent",
      "frames per recipient per tick",
      "latency p95 (ms)",
      "frames vs Hocuspocus",
      "frames vs relay",
    ],
    grouped(
      results.cursors,
      (r) => r.clients,
      (r) => r.framesPerSecond,
      (r) => [
        r.framesPerSecond,
        Math.round(r.bytesPerSecond / 1024),
        r.framesPerRecipientPerTick,
        r.latency.p95,
      ],
    ),
  );
}

function throughputTable(results: BenchResults): string[] {
  return table(
    ["room", "server", "accepted updates/s", "stages (rate: p95 ms, delivered)", "vs Hocuspocus", "vs relay"],
    grouped(
      results.throughput.map((r) => ({ ...r, room: 1 })),
      (r) => r.room,
      (r) => r.acceptedPerSecond,
      (r) => [
        r.acceptedPerSecond,
        r.stages.map((s) => `${s.rate}: ${s.latency.p95}, ${s.delivered}/${s.sent}`).join("; "),
      ],
    ).map(([, ...rest]) => ["one", ...rest]),
  );
}

function memoryTable(results: BenchResults): string[] {
  return table(
    [
      "idle sockets",
      "server",
      "baseline RSS",
      "per idle connection",
      "growth across join/leave cycles",
      "per-connection vs Hocuspocus",
      "vs relay",
    ],
    grouped(
      results.memory,
      (r) => r.idle,
      (r) => r.perIdleConnectionBytes ?? Number.NaN,
      (r) => [
        mb(r.baselineBytes),
        r.perIdleConnectionBytes === null
          ? `< ${kb(MEMORY_RESOLUTION_BYTES / Math.max(1, r.opened - 1))} (grew ${mb(r.idleGrowthBytes)}, below what RSS resolves)`
          : kb(r.perIdleConnectionBytes),
        `${mb(r.growthAfterCyclesBytes)} after ${r.cycles}`,
      ],
    ).map(([idle, server, ...rest]) => [
      `${idle} in rooms of ${results.memory[0]?.roomSize ?? "?"} (opened ${byServerOpened(results, String(server))})`,
      server ?? "",
      ...rest,
    ]),
  );
}

function byServerOpened(results: BenchResults, name: string): number {
  return results.memory.find((r) => SERVER_NAMES[r.server] === name)?.opened ?? 0;
}

function hibernationLines(results: BenchResults): string[] {
  if (results.hibernation.length === 0)
    return [
      "Not measured in this mode. Hocuspocus and the relay keep every room in memory; they have nothing to compare.",
    ];
  const first = results.hibernation[0];
  return [
    `On each Edgeroom server three rooms hold a ${first ? kb(first.documentBytes) : "?"} document with two sockets each, ` +
      `sending heartbeats (which workerd answers without waking the room) through one idle spell of ${first?.idleSeconds ?? "?"} s; ` +
      "then one room is woken by an awareness frame (timed until the other socket has it), one by a reader's sync " +
      'step 1 (timed until its step 2) and one by an update (timed until its doc-ack). "Evicted" means the ' +
      "room object started again for that frame (the bench probe's start count rose). The room's own wakes (its sweep " +
      "alarm or a socket's check-in, every ~10 s) can come just before the frame, so a frame that found the room in " +
      "memory is tried again after another idle spell of 12 s and more.",
    "",
    ...table(
      [
        "server",
        "evicted with sockets open",
        "awareness wake (ms)",
        "warm (ms)",
        "document wake: a sync (ms)",
        "warm (ms)",
        "edit wake (ms)",
        "warm (ms)",
        "document loads before the first edit",
        "control rejoin (ms)",
      ],
      results.hibernation.map((h) => [
        SERVER_NAMES[h.server],
        `${h.evictedWithSocketsOpen ? "yes" : "**no**"} (starts ${h.startsBefore} → ${h.startsAfter})`,
        wakeCell(h.awarenessWake),
        h.awarenessWake.warmMs,
        wakeCell(h.documentWake),
        h.documentWake.warmMs,
        wakeCell(h.editWake),
        h.editWake.warmMs,
        `${h.documentLoadsBeforeFirstEdit}${h.firstEditLoadedDocument ? " (the first edit loaded it)" : " (the first edit found it loaded)"}`,
        `${h.controlRejoinMs}${h.controlEvicted ? " (evicted, constructor included)" : " (not evicted)"}`,
      ]),
    ),
    "",
    "- Lazy load: the awareness wake and the sweep alarm must not build the document (0 loads before the first edit); the first edit does.",
    "- The document wake is a reconnecting reader's sync step 1, answered from the stored update without building the document; the edit wake is an update until its doc-ack, which needs the document built from storage, the update checked against it, and stored.",
    "- Control: a room whose sockets all left, rejoined after the same idle spell (connect to synced).",
    "- Hocuspocus and the relay keep every open room in memory; they have no eviction to compare.",
  ];
}

function wakeCell(wake: HibernationResult["awarenessWake"]): string {
  const notes = [
    ...(wake.evicted ? [] : ["**not evicted**: the room was in memory"]),
    ...(wake.attempts === 1 ? [] : [`after ${wake.attempts} tries`]),
    ...(wake.loadedDocument ? ["the document was built from storage for it"] : []),
  ];
  return `${wake.ms}${notes.length > 0 ? ` (${notes.join(", ")})` : ""}`;
}

function roundTripLines(results: BenchResults): string[] {
  if (results.roundTrips.length === 0) return ["Not measured in this run."];
  const rows = results.roundTrips.flatMap((r) => [
    [
      SERVER_NAMES[r.server],
      "heartbeat (workerd answers; no room code)",
      r.transport.p50,
      r.transport.p95,
      r.transport.count,
    ],
    [
      SERVER_NAMES[r.server],
      "sync step 1 → step 2 (room code; nothing stored)",
      r.roomCode.p50,
      r.roomCode.p95,
      r.roomCode.count,
    ],
    [
      SERVER_NAMES[r.server],
      "update → doc-ack (room code; stored in SQLite first)",
      r.storedUpdate.p50,
      r.storedUpdate.p95,
      r.storedUpdate.count,
    ],
  ]);
  return [
    ...table(["server", "round trip on one socket", "p50", "p95", "samples"], rows),
    "",
    ...results.roundTrips.map(
      (r) =>
        `- ${SERVER_NAMES[r.server]}: the last two rows differ by the durable write, ${round(r.storedUpdate.p50 - r.roomCode.p50)} ms at p50.`,
    ),
    "",
    "Edgeroom stores an update before it acknowledges or relays it (the Durable Object's output gate holds " +
      "every frame until the write is on disk); the Hocuspocus set-up here keeps documents only in memory.",
  ];
}

function bigRoomLines(results: BenchResults): string[] {
  const capacity = results.capacity;
  const capacityLine = capacity
    ? [
        `Today's limit (\`LIMITS.maxConnectionsPerRoom\` = ${capacity.limit}), on ${SERVER_NAMES[capacity.server]}: of ` +
          `${capacity.tried} sockets opened one after another into one room, ${capacity.open} stayed open; the rest were ` +
          `closed with ${closedText(capacity.closedWith)}.`,
        "",
      ]
    : [];
  if (results.bigRooms.length === 0) return [...capacityLine, "Not measured in this mode."];
  const first = results.bigRooms[0]?.editing;
  return [
    ...capacityLine,
    `To measure rooms past that limit, Edgeroom runs here on workerd directly from a copy of the bundle whose ` +
      `\`maxConnectionsPerRoom\` is raised to the room's size (the only change); Hocuspocus has no limit. Each room ` +
      `size gets freshly started servers, alone on the machine. ${first?.editors ?? "?"} editors type single characters ` +
      `at ${first?.rateHz ?? "?"} Hz each for ${first?.seconds ?? "?"} s; every other socket watches. Latency is from an ` +
      "edit to each watcher receiving it; memory is the runtime's resident growth from before the room opened.",
    "",
    ...table(
      [
        "sockets",
        "server",
        "open",
        "memory with all open (per socket)",
        "after editing",
        "p50",
        "p95",
        "p99",
        "delivered at watchers",
        "watchers with every edit",
        "frames/s sent",
        "load generator CPU (editing)",
      ],
      results.bigRooms.map((r) => [
        r.sockets,
        SERVER_NAMES[r.server],
        `${r.open}/${r.sockets}${Object.keys(r.closedWith).length > 0 ? ` (closed: ${closedText(r.closedWith)})` : ""}`,
        `${mb(r.openGrowthBytes)} (${r.perSocketBytes === null ? "below what RSS resolves" : kb(r.perSocketBytes)})`,
        mb(r.afterEditingGrowthBytes),
        r.editing.latency.p50,
        r.editing.latency.p95,
        r.editing.latency.p99,
        `${r.editing.deliveredAtWatchers}/${r.editing.expectedAtWatchers}`,
        `${r.editing.watchersWithEveryEdit}/${r.editing.watchers}`,
        r.editing.framesPerSecond,
        `${r.loadCpuPercentEditing}% of a core (opening: ${r.loadCpuSecondsOpening} s)`,
      ]),
    ),
  ];
}

function closedText(closedWith: Record<string, number>): string {
  const entries = Object.entries(closedWith);
  return entries.length === 0 ? "none" : entries.map(([code, count]) => `${code}: ${count}`).join(", ");
}

function kb(bytes: number): string {
  return `${(bytes / 1024).toFixed(bytes < 10_240 ? 1 : 0)} KB`;
}

function mb(bytes: number): string {
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}
