/**
 * Runs every workload against the servers in one run, interleaved per
 * configuration (Edgeroom on wrangler dev, Edgeroom on workerd directly,
 * Hocuspocus, relay, then the next size), so a noisy neighbour on the
 * machine hits them all alike.
 */
import { cpus, loadavg } from "node:os";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import type { ThroughputResult } from "./load/apply-throughput.ts";
import type { BigRoomEditing } from "./load/big-room.ts";
import type { CursorFanoutResult } from "./load/cursor-fanout.ts";
import type { EditPropagationResult } from "./load/edit-propagation.ts";
import type { FirstSyncResult } from "./load/first-sync.ts";
import type { HibernationResult } from "./load/hibernation.ts";
import type { RoundTripResult } from "./load/round-trips.ts";
import type { Job } from "./load/jobs.ts";
import { IDLE_ROOM_SIZE } from "./load/idle-connections.ts";
import { startLoadGenerator, type LoadGenerator } from "./load/load-generator.ts";
import { isEdgeroom, type ServerKind } from "./load/wire.ts";
import { PLANS, type Mode, type Plan } from "./plan.ts";
import {
  startEdgeroomDirect,
  startNodeServer,
  startServers,
  type BenchServer,
  type Ports,
} from "./servers/start-servers.ts";
import { bundleWithRoomCapacity } from "./servers/worker-bundle.ts";
import { sleep } from "./load/bench-client.ts";
import { COST_WINDOW_SECONDS, runRoomCost, type RoomCostResult } from "./load/room-cost.ts";

export interface MemoryResult {
  idle: number;
  opened: number;
  /** The idle sockets fill rooms of `roomSize`, in `rooms` rooms. */
  rooms: number;
  roomSize: number;
  /** Growth from the baseline with every idle socket open. */
  idleGrowthBytes: number;
  /** null when that growth is below `MEMORY_RESOLUTION_BYTES`: resident memory cannot tell so little apart. */
  perIdleConnectionBytes: number | null;
  cycles: number;
  /** Growth across the join/leave cycles alone (the idle sockets stay open throughout). */
  growthAfterCyclesBytes: number;
  baselineBytes: number;
}

/**
 * Resident memory moves in heap chunks and pages, by a megabyte or two on its own; a smaller
 * growth under idle sockets is reported as below this, not divided into a per-socket figure.
 */
export const MEMORY_RESOLUTION_BYTES = 2 * 1024 * 1024;

export type Row<T> = T & { server: ServerKind };

export interface BigRoomResult {
  sockets: number;
  /** The room capacity the server ran with: Edgeroom's raised to `sockets` in a copy of the bundle. */
  capacity: number | null;
  open: number;
  closedWith: Record<string, number>;
  baselineBytes: number;
  /** Runtime memory growth with every socket open and synced, and after the editing. */
  openGrowthBytes: number;
  perSocketBytes: number | null;
  afterEditingGrowthBytes: number;
  editing: BigRoomEditing;
  /** The load generator's CPU while the editors typed, as % of one core, and while it opened the sockets (s). */
  loadCpuPercentEditing: number;
  loadCpuSecondsOpening: number;
}

export interface CapacityResult {
  server: ServerKind;
  limit: number;
  tried: number;
  open: number;
  closedWith: Record<string, number>;
}

export interface BenchResults {
  mode: Mode;
  startedAt: string;
  durationSeconds: number;
  machine: { cores: number; cpuModel: string; loadAverageAtStart: number; versions: Record<string, string> };
  load: { jobs: number; cpuSeconds: number; busiestPercent: number; busiestJob: string };
  edits: Row<EditPropagationResult>[];
  firstSync: Row<FirstSyncResult>[];
  cursors: Row<CursorFanoutResult>[];
  throughput: Row<ThroughputResult>[];
  memory: Row<MemoryResult>[];
  /** One per Edgeroom server. */
  hibernation: HibernationResult[];
  roundTrips: Row<RoundTripResult>[];
  bigRooms: Row<BigRoomResult>[];
  capacity: CapacityResult | undefined;
  /** The cost section (bench/report/cost-section.ts); skipped in tiny runs. */
  cost?: RoomCostResult | undefined;
}

export async function runBench(mode: Mode, ports: Ports, log: (line: string) => void): Promise<BenchResults> {
  const plan = PLANS[mode];
  const began = performance.now();
  const startedAt = new Date().toISOString();
  const loadAverageAtStart = loadavg()[0] ?? 0;
  let servers = await startServers(ports);
  let load: LoadGenerator | undefined;
  const cpu = { jobs: 0, cpuMs: 0, busiestPercent: 0, busiestJob: "" };
  try {
    const generator = (load = await startLoadGenerator());
    const runTimed = async <T>(job: Job, label: string) => {
      log(`  ${label}`);
      const outcome = await generator.run<T>(job);
      cpu.jobs += 1;
      cpu.cpuMs += outcome.cpuMs;
      const percent = (100 * outcome.cpuMs) / Math.max(1, outcome.wallMs);
      if (percent > cpu.busiestPercent) Object.assign(cpu, { busiestPercent: percent, busiestJob: label });
      return outcome;
    };
    const run = async <T>(job: Job, label: string): Promise<T> => (await runTimed<T>(job, label)).result;
    const each = async <T>(make: (s: BenchServer) => Promise<T>): Promise<Row<T>[]> => {
      const rows: Row<T>[] = [];
      for (const server of servers) rows.push({ ...(await make(server)), server: server.target.kind });
      return rows;
    };

    /** One job per server for each value, interleaved so the servers share the machine's noise alike. */
    const sweep = async <T, V extends number>(
      values: readonly V[],
      job: (target: BenchServer["target"], value: V) => Job,
      unit: string,
    ): Promise<Row<T>[]> => {
      const rows: Row<T>[] = [];
      for (const value of values)
        rows.push(...(await each((s) => run<T>(job(s.target, value), `${s.target.kind}: ${value} ${unit}`))));
      return rows;
    };

    log("edit propagation");
    const edits = await sweep<EditPropagationResult, number>(
      plan.edits.clients,
      (target, clients) => ({ kind: "edits", target, clients, ...pick(plan.edits) }),
      "clients",
    );
    log("first sync");
    const firstSync = await sweep<FirstSyncResult, number>(
      plan.firstSync.sizes,
      (target, targetBytes) => ({ kind: "first-sync", target, targetBytes, samples: plan.firstSync.samples }),
      "bytes",
    );
    log("cursor fan-out");
    const cursors = await sweep<CursorFanoutResult, number>(
      plan.cursors.clients,
      (target, clients) => ({ kind: "cursors", target, clients, ...pick(plan.cursors) }),
      "clients",
    );

    log("apply throughput");
    const throughput = await each((s) =>
      run<ThroughputResult>({ kind: "throughput", target: s.target, ...plan.throughput }, s.target.kind),
    );

    const edgerooms = servers.filter((s) => isEdgeroom(s.target.kind));
    log("round trips");
    const roundTrips: Row<RoundTripResult>[] = [];
    for (const s of edgerooms)
      roundTrips.push({
        ...(await run<RoundTripResult>(
          { kind: "round-trips", target: s.target, samples: plan.roundTrips },
          `${s.target.kind}: ${plan.roundTrips} rounds`,
        )),
        server: s.target.kind,
      });
    let hibernation: HibernationResult[] = [];
    if (plan.hibernationIdleSeconds > 0 && edgerooms.length > 0) {
      log("hibernation");
      hibernation = await run<HibernationResult[]>(
        {
          kind: "hibernation",
          targets: edgerooms.map((s) => s.target),
          idleSeconds: plan.hibernationIdleSeconds,
          documentBytes: plan.hibernationDocumentBytes,
          wakeAttempts: plan.wakeAttempts,
        },
        `${edgerooms.map((s) => s.target.kind).join(" and ")}: idle ${plan.hibernationIdleSeconds} s together`,
      );
    }
    const direct = servers.find((s) => s.target.kind === "edgeroom-direct");
    let capacity: CapacityResult | undefined;
    if (direct) {
      log("room capacity");
      capacity = {
        server: direct.target.kind,
        ...(await run<Omit<CapacityResult, "server">>(
          { kind: "room-capacity", target: direct.target, extra: plan.capacityExtra },
          `${direct.target.kind}: the limit and ${plan.capacityExtra} more`,
        )),
      };
    }
    // In this process, not the load generator's: 20 sockets at a few frames a second, mostly waiting.
    // On wrangler dev, as the cost section was built and calibrated (bench/results/cost-before.md).
    const edgeroom = servers.find((s) => s.target.kind === "edgeroom");
    const costSeconds = COST_WINDOW_SECONDS[mode];
    if (costSeconds > 0 && edgeroom) log(`room cost: ${costSeconds} s idle and typing, side by side`);
    const cost =
      costSeconds > 0 && edgeroom
        ? await runRoomCost(edgeroom.target, { windowSeconds: costSeconds })
        : undefined;

    // Memory last, on servers started afresh: the other workloads leave heaps grown and garbage
    // behind, and the garbage of a thousand closed sockets would fall into their latencies if it came first.
    if (plan.memory.freshServers) {
      log("restarting the servers");
      const stopping = servers;
      servers = [];
      await Promise.all(stopping.map((s) => s.stop()));
      servers = await startServers(ports);
    }
    log("memory");
    const memory = await each(async (s): Promise<MemoryResult> => {
      // The baseline holds the first room with its first socket; the rest are counted per connection.
      await run({ kind: "open-idle", target: s.target, count: 1 }, `${s.target.kind}: the first room`);
      await sleep(plan.memory.settleMs);
      const baselineBytes = await s.memory();
      const { opened, rooms } = await run<{ opened: number; rooms: number }>(
        { kind: "open-idle", target: s.target, count: plan.memory.idle - 1 },
        `${s.target.kind}: ${plan.memory.idle} idle connections`,
      );
      await sleep(plan.memory.settleMs);
      const withIdle = await s.memory();
      await run(
        { kind: "join-leave", target: s.target, cycles: plan.memory.cycles },
        `${s.target.kind}: cycles`,
      );
      await sleep(plan.memory.settleMs);
      const afterCycles = await s.memory();
      await run({ kind: "close-idle" }, `${s.target.kind}: close`);
      const result: MemoryResult = {
        idle: plan.memory.idle,
        opened: opened + 1,
        rooms,
        roomSize: IDLE_ROOM_SIZE,
        idleGrowthBytes: withIdle - baselineBytes,
        perIdleConnectionBytes:
          withIdle - baselineBytes < MEMORY_RESOLUTION_BYTES
            ? null
            : Math.round((withIdle - baselineBytes) / Math.max(1, opened)),
        cycles: plan.memory.cycles,
        growthAfterCyclesBytes: afterCycles - withIdle,
        baselineBytes,
      };
      return result;
    });

    // Bigger rooms alone on the machine: the other servers stop, and each room size gets servers of its own.
    const stoppingAgain = servers;
    servers = [];
    await Promise.all(stoppingAgain.map((s) => s.stop()));
    const bigRooms: Row<BigRoomResult>[] = [];
    for (const sockets of plan.bigRooms.sockets) {
      log(`bigger rooms: ${sockets} sockets`);
      for (const start of bigRoomServers(ports, sockets, plan.bigRooms.withHocuspocus)) {
        const server = await start();
        servers = [server];
        bigRooms.push({ ...(await bigRoom(server, sockets, plan, runTimed)), server: server.target.kind });
        servers = [];
        await server.stop();
      }
    }

    return {
      mode,
      startedAt,
      durationSeconds: Math.round((performance.now() - began) / 1000),
      machine: {
        cores: cpus().length,
        cpuModel: cpus()[0]?.model ?? "unknown",
        loadAverageAtStart,
        versions: versions(),
      },
      load: {
        jobs: cpu.jobs,
        cpuSeconds: Math.round(cpu.cpuMs / 100) / 10,
        busiestPercent: Math.round(cpu.busiestPercent),
        busiestJob: cpu.busiestJob,
      },
      edits,
      firstSync,
      cursors,
      throughput,
      memory,
      hibernation,
      roundTrips,
      bigRooms,
      capacity,
      cost,
    };
  } finally {
    await load?.stop();
    await Promise.all(servers.map((s) => s.stop()));
  }
}

/** For one room size: Edgeroom on workerd directly with the room's capacity raised to it, then Hocuspocus. */
function bigRoomServers(
  ports: Ports,
  sockets: number,
  withHocuspocus: boolean,
): (() => Promise<BenchServer>)[] {
  return [
    () => startEdgeroomDirect(ports.bigRooms, bundleWithRoomCapacity(sockets)),
    ...(withHocuspocus
      ? [() => startNodeServer("hocuspocus", "hocuspocus-server.ts", ports.bigRooms + 1)]
      : []),
  ];
}

type TimedRun = <T>(job: Job, label: string) => Promise<{ result: T; cpuMs: number; wallMs: number }>;

async function bigRoom(
  server: BenchServer,
  sockets: number,
  plan: Plan,
  runTimed: TimedRun,
): Promise<BigRoomResult> {
  const { kind } = server.target;
  await sleep(plan.memory.settleMs);
  const baselineBytes = await server.memory();
  const opening = await runTimed<{ open: number; closedWith: Record<string, number> }>(
    { kind: "big-room-open", target: server.target, sockets },
    `${kind}: ${sockets} sockets in one room`,
  );
  await sleep(plan.memory.settleMs);
  const withSockets = await server.memory();
  const { editors, seconds, rateHz } = plan.bigRooms;
  const editing = await runTimed<BigRoomEditing>(
    { kind: "big-room-edit", editors, seconds, rateHz },
    `${kind}: ${editors} editors at ${rateHz} Hz`,
  );
  await sleep(plan.memory.settleMs);
  const afterEditing = await server.memory();
  await runTimed({ kind: "big-room-close" }, `${kind}: close`);
  const openGrowthBytes = withSockets - baselineBytes;
  return {
    sockets,
    capacity: isEdgeroom(kind) ? sockets : null,
    open: opening.result.open,
    closedWith: opening.result.closedWith,
    baselineBytes,
    openGrowthBytes,
    perSocketBytes:
      openGrowthBytes < MEMORY_RESOLUTION_BYTES ? null : Math.round(openGrowthBytes / Math.max(1, sockets)),
    afterEditingGrowthBytes: afterEditing - baselineBytes,
    editing: editing.result,
    loadCpuPercentEditing: Math.round((100 * editing.cpuMs) / Math.max(1, editing.wallMs)),
    loadCpuSecondsOpening: Math.round(opening.cpuMs / 100) / 10,
  };
}

function pick(options: { seconds: number; rateHz: number }): { seconds: number; rateHz: number } {
  return { seconds: options.seconds, rateHz: options.rateHz };
}

function versions(): Record<string, string> {
  const root = join(import.meta.dirname, "..");
  const version = (path: string): string =>
    (JSON.parse(readFileSync(join(root, path, "package.json"), "utf8")) as { version: string }).version;
  return {
    node: process.version,
    wrangler: version("node_modules/wrangler"),
    "@hocuspocus/server": version("bench/node_modules/@hocuspocus/server"),
    yjs: version("bench/node_modules/yjs"),
    ws: version("bench/node_modules/ws"),
  };
}
