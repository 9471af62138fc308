/**
 * CPU per edit, read from the kernel: the servers' user + system time
 * (/proc/PID/stat) around the edit-propagation workload at 50 clients. Each
 * server runs the workload twice, short and long; the difference in CPU over
 * the difference in edits leaves out connecting, syncing and closing, so
 * what remains is the cost of relaying edits. For wrangler dev its runtime
 * (the rooms) and its local proxy are read apart.
 *
 *   EDGEROOM_BENCH_PORT=9730 npx tsx profile/cpu-per-edit.ts [clients=50] [shortS=2] [longS=12]
 */
import type { EditPropagationResult } from "../load/edit-propagation.ts";
import { startLoadGenerator } from "../load/load-generator.ts";
import { cpuTimeMs } from "../processes.ts";
import { SERVER_NAMES } from "../report/ratios.ts";
import { portsFrom, startServers, type BenchServer } from "../servers/start-servers.ts";

const CLIENTS = Number(process.argv[2] ?? 50);
const SHORT_S = Number(process.argv[3] ?? 2);
const LONG_S = Number(process.argv[4] ?? 12);
const RATE_HZ = 2;

const started = await startServers(portsFrom(Number(process.env["EDGEROOM_BENCH_PORT"] ?? 9730)));
const servers = started.filter((s) => s.target.kind !== "relay");
const load = await startLoadGenerator();
const cpu = (pids: number[]): number => pids.reduce((sum, pid) => sum + cpuTimeMs(pid), 0);

interface Reading {
  edits: number;
  deliveries: number;
  runtimeMs: number;
  proxyMs: number;
  loadMs: number;
}

async function measure(server: BenchServer, seconds: number): Promise<Reading> {
  const { runtime, proxy } = server.processes();
  const [runtimeBefore, proxyBefore] = [cpu(runtime), cpu(proxy)];
  const outcome = await load.run<EditPropagationResult>({
    kind: "edits",
    target: server.target,
    clients: CLIENTS,
    seconds,
    rateHz: RATE_HZ,
  });
  const result = outcome.result;
  if (result.delivered !== result.expectedDeliveries)
    throw new Error(`${server.target.kind}: ${result.delivered}/${result.expectedDeliveries} delivered`);
  return {
    edits: result.sent,
    deliveries: result.delivered,
    runtimeMs: cpu(runtime) - runtimeBefore,
    proxyMs: cpu(proxy) - proxyBefore,
    loadMs: outcome.cpuMs,
  };
}

try {
  const rows: string[] = [];
  for (const server of servers) {
    // A first short run warms the runtime (JIT, the room class) so the two measured runs compare alike.
    await measure(server, 1);
    const short = await measure(server, SHORT_S);
    const long = await measure(server, LONG_S);
    const edits = long.edits - short.edits;
    const deliveries = long.deliveries - short.deliveries;
    const perEdit = (ms: number): string => (ms / edits).toFixed(3);
    const perDelivery = (ms: number): string => ((1000 * ms) / deliveries).toFixed(1);
    const runtimeMs = long.runtimeMs - short.runtimeMs;
    const proxyMs = long.proxyMs - short.proxyMs;
    rows.push(
      `| ${SERVER_NAMES[server.target.kind]} | ${edits} | ${runtimeMs.toFixed(0)} | ${perEdit(runtimeMs)} | ${perDelivery(runtimeMs)} | ` +
        `${server.processes().proxy.length > 0 ? `${perEdit(proxyMs)} ms (${perDelivery(proxyMs)} µs)` : "–"} | ` +
        `${perEdit(long.loadMs - short.loadMs)} |`,
    );
  }
  console.log(
    `CPU per edit at ${CLIENTS} clients (${RATE_HZ} edits/s each): runs of ${LONG_S} s minus runs of ${SHORT_S} s, ` +
      `so connecting and syncing cancel out. Each edit reaches ${CLIENTS - 1} recipients.\n`,
  );
  console.log(
    "| server | edits (difference) | runtime CPU ms | runtime ms per edit | runtime µs per edit per recipient | wrangler dev proxy per edit (per recipient) | load generator ms per edit |",
  );
  console.log("| --- | ---: | ---: | ---: | ---: | ---: | ---: |");
  for (const row of rows) console.log(row);
} finally {
  await load.stop();
  await Promise.all(started.map((s) => s.stop()));
  process.exit(0);
}
