/**
 * CPU per frame on one socket, by kind, read from the kernel around a batch
 * of each (/proc/PID/stat, user + system): the heartbeat (answered by
 * workerd, no room code), a sync step 1 (room code, nothing stored; the
 * answer is a near-empty step 2) and a single-character update (room code,
 * the SQLite write, the doc-ack). One frame in flight at a time, as in the
 * bench's round trips; nobody else is in the room, so there is no fan-out.
 * A heartbeat every 5 s keeps the socket from being swept as dead.
 *
 *   EDGEROOM_BENCH_PORT=9730 npx tsx profile/cpu-per-frame.ts [frames=500]
 */
import { encodeSyncStep1, encodeSyncUpdate, HEARTBEAT_PING, HEARTBEAT_PONG } from "@edgeroom/shared";
import * as Y from "yjs";
import { openBenchClient } from "../load/bench-client.ts";
import { freshRoom } from "../load/rooms.ts";
import { isEdgeroom } from "../load/wire.ts";
import { cpuTimeMs } from "../processes.ts";
import { SERVER_NAMES } from "../report/ratios.ts";
import { portsFrom, startServers, type BenchServer } from "../servers/start-servers.ts";

const FRAMES = Number(process.argv[2] ?? 500);
const PAUSE_MS = 25;
const IDLE_MS = 5_000;
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
const started = await startServers(portsFrom(Number(process.env["EDGEROOM_BENCH_PORT"] ?? 9730)));
const cpu = (pids: number[]): number => pids.reduce((sum, pid) => sum + cpuTimeMs(pid), 0);

async function perFrame(server: BenchServer): Promise<string> {
  const doc = new Y.Doc();
  let last = "";
  let waiting: ((text: string | undefined) => void) | undefined;
  const client = await openBenchClient(server.target, freshRoom("cpu-frame"), {
    doc,
    hello: true,
    handlers: {
      onText: (text) => {
        last = text;
        waiting?.(text);
      },
      onUpdate: (_u, kind) => kind === "sync-step2" && waiting?.(undefined),
    },
  });
  await client.synced;
  // A socket that sends no heartbeat for a while is swept as dead: keep it alive, as a tab does.
  const alive = setInterval(() => client.sendText(HEARTBEAT_PING), 5_000);
  const roundTrip = (send: () => void, answered: (text: string | undefined) => boolean): Promise<void> =>
    new Promise((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`no answer in 5 s on ${server.target.kind}; last text: ${last}`)),
        5_000,
      );
      waiting = (text) => {
        if (!answered(text)) return;
        clearTimeout(timer);
        waiting = undefined;
        resolve();
      };
      send();
    });
  const kinds = {
    heartbeat: () =>
      roundTrip(
        () => client.sendText(HEARTBEAT_PING),
        (t) => t === HEARTBEAT_PONG,
      ),
    "sync step 1 → step 2": () =>
      roundTrip(
        () => client.sendMessage(encodeSyncStep1(doc)),
        (t) => t === undefined,
      ),
    "update → doc-ack": () => {
      let update: Uint8Array | undefined;
      doc.once("update", (u: Uint8Array) => (update = u));
      doc.getText("content").insert(0, "x");
      return roundTrip(
        () => client.sendMessage(encodeSyncUpdate(update ?? new Uint8Array())),
        (t) => t?.includes('"doc-ack"') ?? false,
      );
    },
  };
  const cells: string[] = [];
  const { runtime: idleRuntime, proxy: idleProxy } = server.processes();
  const [r0, p0] = [cpu(idleRuntime), cpu(idleProxy)];
  await sleep(IDLE_MS);
  const [idleRuntimeMs, idleProxyMs] = [cpu(idleRuntime) - r0, cpu(idleProxy) - p0];
  for (const [kind, trip] of Object.entries(kinds)) {
    void kind;
    for (let i = 0; i < 20; i += 1) await trip(); // warm
    const { runtime, proxy } = server.processes();
    const [runtimeBefore, proxyBefore, wallBefore] = [cpu(runtime), cpu(proxy), performance.now()];
    // Well under the per-socket document budget (50 frames/s): a pause after every frame.
    for (let i = 0; i < FRAMES; i += 1) {
      await trip();
      await sleep(PAUSE_MS);
    }
    const wall = performance.now() - wallBefore;
    // What the idle processes used over the same time is taken off.
    const idle = (ms: number): number => (ms * wall) / IDLE_MS;
    const runtimeUs = (1000 * (cpu(runtime) - runtimeBefore - idle(idleRuntimeMs))) / FRAMES;
    const proxyUs = (1000 * (cpu(proxy) - proxyBefore - idle(idleProxyMs))) / FRAMES;
    cells.push(`${runtimeUs.toFixed(0)}${proxy.length > 0 ? ` (+ proxy ${proxyUs.toFixed(0)})` : ""}`);
  }
  clearInterval(alive);
  await client.close();
  return `| ${SERVER_NAMES[server.target.kind]} | ${cells.join(" | ")} |`;
}

try {
  console.log(`CPU µs per frame, one socket, ${FRAMES} frames of each kind, one in flight at a time:\n`);
  console.log("| server | heartbeat | sync step 1 → step 2 | update → doc-ack (SQLite write) |");
  console.log("| --- | ---: | ---: | ---: |");
  for (const server of started.filter((s) => isEdgeroom(s.target.kind))) console.log(await perFrame(server));
} finally {
  await Promise.all(started.map((s) => s.stop()));
  process.exit(0);
}
