/**
 * Workload 5, the client half: idle synced connections held open while the
 * orchestrator reads the server's memory, and join/leave cycles after which
 * it reads it again. The orchestrator owns the measuring; this file only
 * holds and churns sockets.
 */
import { BenchClient, openMany } from "./bench-client.ts";
import { freshRoom } from "./rooms.ts";
import type { Target } from "./wire.ts";

let held: BenchClient[] = [];
let room = "";

/**
 * Opens `count` more sockets to the idle room (a fresh one when none are
 * held) and resolves once each got its first sync answer.
 */
export async function openIdle(target: Target, count: number): Promise<{ opened: number }> {
  if (held.length === 0) room = freshRoom("idle");
  const opened = await openMany(count, async () => {
    let answered: () => void = () => undefined;
    const first = new Promise<void>((resolve) => (answered = resolve));
    const client = await BenchClient.open(target, room, {
      passive: true,
      handlers: { onUpdate: () => answered() },
    });
    // The relay keeps no document, so it never answers a sync request.
    if (target.kind !== "relay") await Promise.race([first, new Promise((r) => setTimeout(r, 5_000))]);
    return client;
  });
  held.push(...opened);
  return { opened: opened.filter((c) => c.socket.readyState === c.socket.OPEN).length };
}

export async function closeIdle(): Promise<{ closed: number }> {
  const closing = held;
  held = [];
  for (let i = 0; i < closing.length; i += 50)
    await Promise.all(closing.slice(i, i + 50).map((c) => c.close()));
  return { closed: closing.length };
}

/** Join, sync and leave, ten sockets at a time, in the same room the idle sockets used. */
export async function joinLeaveCycles(target: Target, cycles: number): Promise<{ cycles: number }> {
  for (let done = 0; done < cycles; done += 10) {
    const batch = await openMany(Math.min(10, cycles - done), () =>
      BenchClient.open(target, room, { passive: true }),
    );
    await Promise.all(batch.map((c) => c.close()));
  }
  return { cycles };
}
