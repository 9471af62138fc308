/**
 * Is an idle socket's memory the runtime's per-socket cost or a per-room
 * (per Durable Object) cost? The same number of idle, synced sockets is
 * opened into rooms of 1, of 50 and of all of them, each on a freshly started
 * Edgeroom on workerd without the dev proxy (from a bundle whose room
 * capacity is raised so one room can hold them all), and the workerd
 * process's resident growth is divided by the sockets. Then the same
 * against a bare Durable Object that only accepts hibernatable sockets and
 * does nothing else, in one object: the runtime's floor.
 *
 *   EDGEROOM_BENCH_PORT=9740 npx tsx profile/idle-memory.ts [sockets=1000]
 */
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { HeadlessClient } from "@edgeroom/testkit";
import { openBenchClient, openMany, sleep } from "../load/bench-client.ts";
import { freshRoom } from "../load/rooms.ts";
import { startEdgeroomDirect, type BenchServer } from "../servers/start-servers.ts";
import { bundleWithRoomCapacity } from "../servers/worker-bundle.ts";

const SOCKETS = Number(process.argv[2] ?? 1000);
const PORT = Number(process.env["EDGEROOM_BENCH_PORT"] ?? 9740);
const SETTLE_MS = 2_000;

/** The runtime's floor: a Worker that hands every socket to one object, which accepts it hibernatable. */
const BARE_WORKER = `
export class Room {
  constructor(ctx) { this.ctx = ctx; }
  async fetch() {
    const pair = new WebSocketPair();
    this.ctx.acceptWebSocket(pair[1]);
    return new Response(null, { status: 101, webSocket: pair[0] });
  }
  webSocketMessage() {}
  webSocketClose() {}
}
export default {
  fetch(request, env) {
    const name = new URL(request.url).pathname;
    if (name === "/parties/__bench/room-starts") return Response.json({ starts: 0, documentLoads: 0 });
    return env.Room.get(env.Room.idFromName(name)).fetch(request);
  },
};
`;

function bareBundle(): string {
  const dir = mkdtempSync(join(tmpdir(), "edgeroom-bare-do-"));
  writeFileSync(join(dir, "index.js"), BARE_WORKER);
  return dir;
}

async function measure(server: BenchServer, roomSize: number, bare: boolean): Promise<string> {
  const rooms: string[] = [];
  const roomFor = (i: number): string => (rooms[Math.floor(i / roomSize)] ??= freshRoom(`mem-${roomSize}`));
  const open = (i: number): Promise<HeadlessClient> =>
    openBenchClient(server.target, roomFor(i), { passive: true }).then(async (client) => {
      // The bare object answers nothing; Edgeroom's sockets wait for their first sync answer.
      if (!bare) await Promise.race([client.synced, sleep(5_000)]);
      return client;
    });
  // A first room and socket in the baseline: the isolate and the room class are loaded once.
  const first = await openBenchClient(server.target, freshRoom("mem-first"), { passive: true });
  if (!bare) await first.synced;
  await sleep(SETTLE_MS);
  const baseline = await server.memory();
  const clients = await openMany(SOCKETS, open, 50);
  await sleep(SETTLE_MS);
  const withSockets = await server.memory();
  const growth = withSockets - baseline;
  for (let i = 0; i < clients.length; i += 100)
    await Promise.all(clients.slice(i, i + 100).map((c) => c.close()));
  await first.close();
  return (
    `| ${bare ? "bare hibernatable Durable Object" : "Edgeroom (workerd, no dev proxy)"} | ${roomSize} | ${rooms.length} | ` +
    `${(baseline / 1048576).toFixed(1)} MB | ${(growth / 1048576).toFixed(1)} MB | ${(growth / SOCKETS / 1024).toFixed(0)} KB |`
  );
}

const rows: string[] = [];
for (const roomSize of [1, 50, SOCKETS]) {
  const server = await startEdgeroomDirect(PORT, bundleWithRoomCapacity(SOCKETS));
  try {
    rows.push(await measure(server, roomSize, false));
  } finally {
    await server.stop();
  }
}
const bare = await startEdgeroomDirect(PORT, bareBundle());
try {
  rows.push(await measure(bare, SOCKETS, true));
} finally {
  await bare.stop();
}
console.log(
  `Idle sockets: ${SOCKETS} more after a baseline with one room and socket open; workerd's resident memory.\n`,
);
console.log("| server | sockets per room | rooms (objects) | baseline RSS | growth | per socket |");
console.log("| --- | ---: | ---: | ---: | ---: | ---: |");
for (const row of rows) console.log(row);
process.exit(0);
