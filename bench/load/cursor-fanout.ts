/**
 * Workload 3: N clients each moving a pointer 30 times a second. Edgeroom
 * sends them on its app lane and batches per recipient per tick; Hocuspocus
 * carries cursors in awareness, as its clients do; the relay forwards every
 * move. Each move carries its sender and a sequence number so receivers can
 * time it; superseded moves a batching server drops are simply never timed.
 */
import type { HeadlessClient } from "@edgeroom/testkit";
import * as decoding from "lib0/decoding";
import { openBenchClient, openMany, sleep } from "./bench-client.ts";
import { freshRoom } from "./rooms.ts";
import { round, summarize, type LatencySummary } from "./stats.ts";
import { isEdgeroom, type Target } from "./wire.ts";

export interface CursorFanoutResult {
  clients: number;
  rateHz: number;
  seconds: number;
  movesSent: number;
  framesPerSecond: number;
  bytesPerSecond: number;
  /** Frames each recipient got per 50 ms tick, on average. */
  framesPerRecipientPerTick: number;
  movesDelivered: number;
  latency: LatencySummary;
}

interface Move {
  sender: number;
  seq: number;
}

export async function runCursorFanout(
  target: Target,
  options: { clients: number; seconds: number; rateHz: number },
): Promise<CursorFanoutResult> {
  const { clients, seconds, rateHz } = options;
  const room = freshRoom("cursors");
  const sentAt: number[][] = Array.from({ length: clients }, () => []);
  const latencies: number[] = [];
  let counting = false;
  let frames = 0;
  let bytes = 0;
  let movesDelivered = 0;
  const receive = (recipient: number, moves: Move[], size: number): void => {
    if (!counting) return;
    const now = performance.now();
    frames += 1;
    bytes += size;
    for (const move of moves) {
      const at = sentAt[move.sender]?.[move.seq];
      if (at === undefined || move.sender === recipient) continue;
      movesDelivered += 1;
      latencies.push(now - at);
    }
  };
  const sockets = await openMany(clients, (i) =>
    openBenchClient(target, room, {
      hello: true,
      user: { name: `c${i}`, color: "#555555" },
      handlers: {
        onText: (text) => receive(i, parseTextMoves(target.kind, text), Buffer.byteLength(text)),
        onAwareness: (update) => receive(i, parseAwarenessMoves(update), update.byteLength),
      },
    }),
  );
  await sleep(300);
  counting = true;
  const started = performance.now();
  let tick = 0;
  await new Promise<void>((resolve) => {
    const timer = setInterval(() => {
      for (const [i, socket] of sockets.entries()) {
        sentAt[i]?.push(performance.now());
        sendMove(socket, i, tick, target.kind);
      }
      tick += 1;
      if (tick >= seconds * rateHz) {
        clearInterval(timer);
        resolve();
      }
    }, 1000 / rateHz);
  });
  await sleep(300);
  counting = false;
  const elapsed = (performance.now() - started) / 1000;
  await Promise.all(sockets.map((s) => s.close()));
  return {
    clients,
    rateHz,
    seconds: round(elapsed, 1),
    movesSent: tick * clients,
    framesPerSecond: Math.round(frames / elapsed),
    bytesPerSecond: Math.round(bytes / elapsed),
    framesPerRecipientPerTick: round(frames / elapsed / clients / 20, 2),
    movesDelivered,
    latency: summarize(latencies),
  };
}

function sendMove(socket: HeadlessClient, sender: number, seq: number, kind: Target["kind"]): void {
  if (isEdgeroom(kind)) {
    socket.sendText(JSON.stringify({ type: "pointer", at: { pos: seq, dx: sender % 400, dy: 3 } }));
  } else if (kind === "relay") {
    socket.sendText(JSON.stringify({ type: "pointer", sender, seq, dx: sender % 400, dy: 3 }));
  } else {
    // Awareness clock must grow for the server to accept the state as newer.
    socket.setAwareness(1000 + sender, seq + 1, { cursor: { sender, seq, dx: 3 } });
  }
}

function parseTextMoves(kind: Target["kind"], text: string): Move[] {
  const message = JSON.parse(text) as {
    type?: string;
    sender?: number;
    seq?: number;
    moves?: { user: { name: string }; at: { pos: number } | null }[];
  };
  if (kind === "relay" && message.type === "pointer")
    return [{ sender: message.sender ?? -1, seq: message.seq ?? -1 }];
  if (message.type !== "pointers") return [];
  return (message.moves ?? []).flatMap((m) =>
    m.at ? [{ sender: Number(m.user.name.slice(1)), seq: m.at.pos }] : [],
  );
}

function parseAwarenessMoves(update: Uint8Array): Move[] {
  const decoder = decoding.createDecoder(update);
  const moves: Move[] = [];
  for (let count = decoding.readVarUint(decoder); count > 0; count -= 1) {
    decoding.readVarUint(decoder);
    decoding.readVarUint(decoder);
    const state = JSON.parse(decoding.readVarString(decoder)) as { cursor?: Move } | null;
    if (state?.cursor) moves.push({ sender: state.cursor.sender, seq: state.cursor.seq });
  }
  return moves;
}
