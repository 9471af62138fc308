/**
 * Starts the three servers side by side on 127.0.0.1: Edgeroom on
 * `wrangler dev` (with the bench probe switched on), Hocuspocus and the ws
 * relay as Node processes of their own. Each can report its resident memory.
 */
import { join } from "node:path";
import { freshStateDir, startServer } from "@edgeroom/testkit/node";
import {
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

export interface BenchServer {
  target: Target;
  /** Resident memory of the process(es) serving rooms, in bytes, after a collection where one can be asked for. */
  memory(): Promise<number>;
  stop(): Promise<void>;
}

export type Ports = Record<ServerKind, number>;

export async function startServers(ports: Ports): Promise<BenchServer[]> {
  const started: BenchServer[] = [];
  try {
    started.push(await startEdgeroom(ports.edgeroom));
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
    stop: () => server.stop(),
  };
}

async function startNodeServer(kind: ServerKind, file: string, port: number): Promise<BenchServer> {
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
