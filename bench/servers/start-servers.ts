/**
 * Starts the servers side by side on 127.0.0.1: Edgeroom on `wrangler dev`
 * (with the bench probe switched on), the same Worker bundle on workerd
 * through Miniflare without the dev proxy, Hocuspocus and the ws relay as
 * Node processes of their own. Each can report its resident memory and the
 * processes that do its work.
 */
import { join } from "node:path";
import { freshStateDir, startServer } from "@edgeroom/testkit/node";
import {
  childrenNamed,
  collectGarbage,
  commandLine,
  forkTs,
  groupMembers,
  residentBytes,
  stopChild,
  waitForReady,
} from "../processes.ts";
import { sleep } from "../load/bench-client.ts";
import type { ServerKind, Target } from "../load/wire.ts";
import { workerBundle } from "./worker-bundle.ts";

export interface BenchServer {
  target: Target;
  /** Resident memory of the process(es) serving rooms, in bytes, after a collection where one can be asked for. */
  memory(): Promise<number>;
  /**
   * The processes doing the server's work, for CPU readings: `runtime` holds the rooms; `proxy` is
   * wrangler dev's local proxy in front of it (none elsewhere, and none when deployed).
   */
  processes(): { runtime: number[]; proxy: number[] };
  stop(): Promise<void>;
}

/** One port per server kind, and `bigRooms` (and the one after it) for the bigger-rooms servers. */
export type Ports = Record<ServerKind, number> & { bigRooms: number };

/** The ports from `base` on: six in a row. */
export function portsFrom(base: number): Ports {
  return {
    edgeroom: base,
    hocuspocus: base + 1,
    relay: base + 2,
    "edgeroom-direct": base + 3,
    bigRooms: base + 4,
  };
}

export async function startServers(ports: Ports): Promise<BenchServer[]> {
  const started: BenchServer[] = [];
  try {
    started.push(await startEdgeroom(ports.edgeroom));
    started.push(await startEdgeroomDirect(ports["edgeroom-direct"]));
    started.push(await startNodeServer("hocuspocus", "hocuspocus-server.ts", ports.hocuspocus));
    started.push(await startNodeServer("relay", "ws-relay.ts", ports.relay));
    return started;
  } catch (error) {
    await Promise.all(started.map((s) => s.stop()));
    throw error;
  }
}

async function startEdgeroom(port: number): Promise<BenchServer> {
  const server = await startServer({
    port,
    persistDir: freshStateDir("bench"),
    vars: { EDGEROOM_BENCH: "1" },
  });
  return {
    target: {
      kind: "edgeroom",
      wsBase: `ws://127.0.0.1:${port}`,
      probeUrl: `${server.url}/parties/__bench/room-starts`,
    },
    memory: async () => roomRuntimes(server.pid, port).reduce((sum, pid) => sum + residentBytes(pid), 0),
    processes: () => {
      const runtime = roomRuntimes(server.pid, port);
      return { runtime, proxy: groupMembers(server.pid, "workerd").filter((pid) => !runtime.includes(pid)) };
    },
    stop: () => server.stop(),
  };
}

/**
 * The Worker bundle on workerd through Miniflare, in a Node process of its own whose workerd
 * child holds the rooms; `bundleDir` may be a copy with another room capacity (bigger rooms).
 */
export async function startEdgeroomDirect(
  port: number,
  bundleDir = workerBundle(),
  kind: ServerKind = "edgeroom-direct",
): Promise<BenchServer> {
  const child = forkTs(join(import.meta.dirname, "edgeroom-direct.ts"), [
    String(port),
    bundleDir,
    freshStateDir("bench-direct"),
  ]);
  await waitForReady(child, kind);
  const runtimes = (): number[] => childrenNamed(child.pid ?? 0, "workerd");
  return {
    target: {
      kind,
      wsBase: `ws://127.0.0.1:${port}`,
      probeUrl: `http://127.0.0.1:${port}/parties/__bench/room-starts`,
    },
    memory: async () => runtimes().reduce((sum, pid) => sum + residentBytes(pid), 0),
    processes: () => ({ runtime: runtimes(), proxy: [] }),
    stop: async () => {
      const left = runtimes();
      await stopChild(child);
      // Miniflare ends workerd when disposed; a child left behind by a hard stop must not hold the port.
      for (const pid of left) {
        try {
          process.kill(pid, "SIGKILL");
        } catch {
          // already gone
        }
      }
    },
  };
}

export async function startNodeServer(kind: ServerKind, file: string, port: number): Promise<BenchServer> {
  const child = forkTs(join(import.meta.dirname, file), [String(port)], ["--expose-gc"]);
  await waitForReady(child, kind);
  return {
    target: { kind, wsBase: `ws://127.0.0.1:${port}` },
    memory: async () => {
      // Freed pages go back to the system a moment after a collection, not during it.
      await collectGarbage(child);
      await sleep(300);
      await collectGarbage(child);
      return residentBytes(child.pid ?? 0);
    },
    processes: () => ({ runtime: [child.pid ?? 0], proxy: [] }),
    stop: () => stopChild(child),
  };
}

/**
 * The workerd processes that hold the rooms. wrangler dev runs two: its proxy, which owns the
 * public port and exists only in local development, and the runtime with the Worker and its
 * Durable Objects. A deployed room has no such proxy, so it is left out (and kept in when the
 * two cannot be told apart).
 */
function roomRuntimes(groupId: number, port: number): number[] {
  const all = groupMembers(groupId, "workerd");
  const runtimes = all.filter((pid) => !commandLine(pid).includes(`entry=127.0.0.1:${port}`));
  return runtimes.length > 0 ? runtimes : all;
}
