/** `latest.md`: the run's conditions, one table per workload with ratios to the peers, and the targets. */
import { LIMITS } from "@edgeroom/shared";
import { PER_WRITER_RATE } from "../load/apply-throughput.ts";
import { round } from "../load/stats.ts";
import type { ServerKind } from "../load/wire.ts";
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
      `(${machine.loadAverageAtStart >= 1 ? "other work was running on it" : "otherwise idle"}). Versions: ${versions}. Edgeroom runs on \`wrangler dev\` (local workerd, SQLite ` +
      `storage on disk, every update stored before it is relayed); Hocuspocus with no extensions (documents only in ` +
      `memory); the relay forwards frames and keeps update frames in memory to replay to newcomers.`,
    "",
    `Load generator: one Node process apart from the servers; it used ${load.cpuSeconds} s of CPU over ${load.jobs} jobs, ` +
      `at most ${load.busiestPercent}% of one core (${load.busiestJob}).`,
    "",
    `Ratios are Edgeroom's figure over the peer's in this same run: below 1× means Edgeroom needed less (time, frames, memory).`,
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
    ...section(
      "Targets",
      checkTargets(results).map(
        (c) =>
          `- ${c.verdict === "met" ? "✅ met" : c.verdict === "missed" ? "❌ missed" : "➖ not measured"}: ${c.target} (${c.detail})`,
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

/** One row per server for each value of `key`, with Edgeroom's ratios to both peers on its own row. */
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
      const ratios =
        server === "edgeroom"
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
  const h = results.hibernation;
  if (!h)
    return [
      "Not measured in this mode. Hocuspocus and the relay keep every room in memory; they have nothing to compare.",
    ];
  return [
    `- Idle room, two sockets open and sending heartbeats for ${h.idleSeconds} s: room starts ${h.startsBefore} → ${h.startsAfter}; ` +
      (h.evictedWithSocketsOpen
        ? `**evicted and rebuilt**; the first edit after it took ${h.firstMessageAfterIdleMs} ms (warm: ${h.warmMessageMs} ms).`
        : `**not evicted**: the room stayed in memory. First edit after the idle spell ${h.firstMessageAfterIdleMs} ms (warm: ${h.warmMessageMs} ms).`),
    `- Lazy load: between the idle spell's start and the first edit the room was ${h.rebuiltBeforeFirstEdit ? "rebuilt" : "not rebuilt"} ` +
      `(by its sweep alarm or an awareness frame) and built its document ${h.documentLoadsBeforeFirstEdit} times; ` +
      `the first edit ${h.firstEditLoadedDocument ? "built it" : "found it built"}.`,
    `- Control, a room whose sockets all left: ${h.controlEvicted ? "evicted" : "not evicted"} within the same time; rejoining it took ${h.controlRejoinMs} ms ` +
      `(connect to synced${h.controlEvicted ? ", constructor included" : ""}).`,
    ...(h.evictedWithSocketsOpen
      ? []
      : [
          `- So hibernation with open sockets is **not shown**: local workerd evicts an object after 10 s without events, and the room's ` +
            `dead-socket sweep alarm (every \`LIMITS.heartbeatSweepMs\` = 10 s while anyone is connected) wakes it before that. ` +
            `The cost of a wake is what the control row measures.`,
        ]),
    "- Hocuspocus and the relay keep every open room in memory; they have no eviction to compare.",
  ];
}

function roundTripLines(results: BenchResults): string[] {
  const r = results.roundTrips;
  if (!r) return ["Not measured in this run."];
  const row = (what: string, s: { p50: number; p95: number; count: number }) => [what, s.p50, s.p95, s.count];
  return [
    ...table(
      ["round trip on one socket", "p50", "p95", "samples"],
      [
        row("heartbeat (workerd answers; no room code)", r.transport),
        row("sync step 1 → step 2 (room code; nothing stored)", r.roomCode),
        row("update → doc-ack (room code; stored in SQLite first)", r.storedUpdate),
      ],
    ),
    "",
    `The last two rows differ by the durable write: ${round(r.storedUpdate.p50 - r.roomCode.p50)} ms at p50. ` +
      "Edgeroom stores an update before it acknowledges or relays it (the Durable Object's output gate holds " +
      "every frame until the write is on disk); the Hocuspocus set-up here keeps documents only in memory.",
  ];
}

function kb(bytes: number): string {
  return `${(bytes / 1024).toFixed(bytes < 10_240 ? 1 : 0)} KB`;
}

function mb(bytes: number): string {
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}
