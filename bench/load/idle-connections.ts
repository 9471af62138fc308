/**
 * Workload 5, the client half: idle synced connections held open while the
 * orchestrator reads the server's memory, and join/leave cycles after which
 * it reads it again. The orchestrator owns the measuring; this file only
 * holds and churns sockets.
 */
import type { HeadlessClient } from "@edgeroom/testkit";
import { isOpen, openBenchClient, openMany, sleep } from "./bench-client.ts";
import { freshRoom } from "./rooms.ts";
import type { Target } from "./wire.ts";

/**
 * Idle sockets fill rooms of this many, then the next room: a thousand people are a thousand
 * tabs across many rooms, and an Edgeroom room holds at most `LIMITS.maxConnectionsPerRoom`.
 */
export const IDLE_ROOM_SIZE = 50;

let held: HeadlessClient[] = [];
let rooms: string[] = [];

function roomFor(index: number): string {
  const at = Math.floor(index / IDLE_ROOM_SIZE);
  return (rooms[at] ??= freshRoom("idle"));
}

/**
 * Opens `count` more sockets, filling the idle rooms in turn (fresh ones
 * when none are held), and resolves once each got its first sync answer.
 */
export async function openIdle(target: Target, count: number): Promise<{ opened: number; rooms: number }> {
  if (held.length === 0) rooms = [];
  const first = held.length;
  const opened = await openMany(count, async (i) => {
    const client = await openBenchClient(target, roomFor(first + i), { passive: true });
    // The relay keeps no document, so it never answers a sync request.
    if (target.kind !== "relay") await Promise.race([client.synced, sleep(5_000)]);
    return client;
  });
  held.push(...opened);
  return { opened: opened.filter(isOpen).length, rooms: rooms.length };
}

export async function closeIdle(): Promise<{ closed: number }> {
  const closing = held;
  held = [];
  for (let i = 0; i < closing.length; i += 50)
    await Promise.all(closing.slice(i, i + 50).map((c) => c.close()));
  return { closed: closing.length };
}

/** Join and leave, ten sockets at a time, in the first room the idle sockets use. */
export async function joinLeaveCycles(target: Target, cycles: number): Promise<{ cycles: number }> {
  for (let done = 0; done < cycles; done += 10) {
    const batch = await openMany(Math.min(10, cycles - done), () =>
      openBenchClient(target, roomFor(0), { passive: true }),
    );
    await Promise.all(batch.map((c) => c.close()));
  }
  return { cycles };
}
