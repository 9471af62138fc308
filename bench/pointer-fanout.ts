/**
 * How many frames the room sends when everyone moves their pointer: N
 * clients each send 30 moves a second for a few seconds; we count the
 * `pointers` frames they receive. A naive relay would send N·(N−1)·30 a
 * second; Edgeroom sends each recipient at most one batch per 50 ms tick.
 *
 *   pnpm bench:pointers            (20 clients, 5 s, against its own wrangler dev)
 *   pnpm bench:pointers --clients 50 --seconds 10
 */
import WebSocket from "ws";
import { freshStateDir, startServer } from "../e2e/support/server.ts";

export interface FanoutResult {
  clients: number;
  rateHz: number;
  seconds: number;
  movesSent: number;
  framesReceived: number;
  framesPerSecond: number;
  naiveFramesPerSecond: number;
  /** Pointer updates delivered inside those frames, per second. */
  movesDeliveredPerSecond: number;
}

export async function measurePointerFanout(options: {
  url: string;
  clients: number;
  seconds: number;
  rateHz?: number;
}): Promise<FanoutResult> {
  const { url, clients, seconds } = options;
  const rateHz = options.rateHz ?? 30;
  const room = `bench-pointers-${Date.now().toString(36)}`;
  const wsUrl = `${url.replace(/^http/, "ws")}/parties/room/${room}`;
  const sockets = await Promise.all(
    Array.from({ length: clients }, (_, i) => openClient(wsUrl, `Mover ${i + 1}`)),
  );
  let framesReceived = 0;
  let movesDelivered = 0;
  let counting = false;
  for (const socket of sockets) {
    socket.on("message", (data, isBinary) => {
      if (isBinary || !counting) return;
      const message = JSON.parse(data.toString()) as { type: string; moves?: unknown[] };
      if (message.type !== "pointers") return;
      framesReceived += 1;
      movesDelivered += message.moves?.length ?? 0;
    });
  }
  counting = true;
  let movesSent = 0;
  const started = performance.now();
  await new Promise<void>((resolve) => {
    let tick = 0;
    const timer = setInterval(() => {
      tick += 1;
      for (const [i, socket] of sockets.entries()) {
        socket.send(JSON.stringify({ type: "pointer", at: { pos: (tick + i) % 50, dx: tick % 7, dy: 3 } }));
        movesSent += 1;
      }
      if (tick >= seconds * rateHz) {
        clearInterval(timer);
        resolve();
      }
    }, 1000 / rateHz);
  });
  // Let the last tick's batches arrive.
  await new Promise((r) => setTimeout(r, 300));
  counting = false;
  const elapsed = (performance.now() - started) / 1000;
  for (const socket of sockets) socket.close();
  return {
    clients,
    rateHz,
    seconds: Math.round(elapsed * 10) / 10,
    movesSent,
    framesReceived,
    framesPerSecond: Math.round(framesReceived / elapsed),
    naiveFramesPerSecond: clients * (clients - 1) * rateHz,
    movesDeliveredPerSecond: Math.round(movesDelivered / elapsed),
  };
}

async function openClient(url: string, name: string): Promise<WebSocket> {
  const socket = new WebSocket(url);
  await new Promise((resolve, reject) => {
    socket.once("open", resolve);
    socket.once("error", reject);
  });
  socket.send(JSON.stringify({ type: "hello", v: 1, user: { name, color: "#555555" } }));
  return socket;
}

export function formatFanout(result: FanoutResult): string {
  return [
    "| clients | moves/s sent (each) | server frames/s | naive relay frames/s | ratio | pointer updates delivered/s |",
    "| ---: | ---: | ---: | ---: | ---: | ---: |",
    `| ${result.clients} | ${result.rateHz} | ${result.framesPerSecond} | ${result.naiveFramesPerSecond} | ` +
      `${(result.naiveFramesPerSecond / Math.max(1, result.framesPerSecond)).toFixed(1)}× fewer | ` +
      `${result.movesDeliveredPerSecond} |`,
  ].join("\n");
}

function argument(name: string, fallback: number): number {
  const index = process.argv.indexOf(`--${name}`);
  const value = index >= 0 ? Number(process.argv[index + 1]) : NaN;
  return Number.isFinite(value) && value > 0 ? value : fallback;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const server = await startServer({ port: 8797, persistDir: freshStateDir("bench") });
  try {
    const result = await measurePointerFanout({
      url: server.url,
      clients: argument("clients", 20),
      seconds: argument("seconds", 5),
    });
    console.log(formatFanout(result));
    console.log(
      `\n${result.movesSent} moves in ${result.seconds} s; each tick is ${50} ms, so the ceiling is ` +
        `${result.clients} recipients × 20 ticks/s = ${result.clients * 20} frames/s.`,
    );
  } finally {
    await server.stop();
  }
}
