/**
 * Workload 8: bigger rooms. One room with hundreds of sockets: a few editors
 * typing single characters at a steady rate, everyone else watching
 * (connected, synced, receiving). The orchestrator reads the server's
 * memory between the steps (sockets open, then after the editing), so the
 * room is held here across jobs, like the idle connections.
 *
 * `probeCapacity` is the other half: what a room with today's limit
 * (`LIMITS.maxConnectionsPerRoom`) does with a few sockets more.
 */
import { CloseCode, LIMITS } from "@edgeroom/shared";
import type { HeadlessClient } from "@edgeroom/testkit";
import { allSynced, isOpen, openBenchClient, openMany, sleep } from "./bench-client.ts";
import { EditTracker } from "./edit-tracker.ts";
import { freshRoom } from "./rooms.ts";
import type { LatencySummary } from "./stats.ts";
import type { Target } from "./wire.ts";

export interface BigRoomEditing {
  editors: number;
  watchers: number;
  rateHz: number;
  seconds: number;
  sent: number;
  /** Edits × watchers, and how many of those arrived; the editors' own copies are not counted. */
  expectedAtWatchers: number;
  deliveredAtWatchers: number;
  /** Watchers that received every edit. */
  watchersWithEveryEdit: number;
  /** From an edit to each watcher receiving it. */
  latency: LatencySummary;
  /** Frames the server sent to all sockets together while the editors typed, per second. */
  framesPerSecond: number;
}

let room: { target: Target; sockets: HeadlessClient[]; tracker: EditTracker; frames: number } | undefined;

/** Opens `sockets` sockets into one fresh room and waits until each has synced; resolves with how many stayed open. */
export async function openBigRoom(
  target: Target,
  sockets: number,
): Promise<{ sockets: number; open: number; closedWith: Record<string, number> }> {
  const tracker = new EditTracker();
  const name = freshRoom("big");
  const state = { target, sockets: [] as HeadlessClient[], tracker, frames: 0 };
  const count = (): void => void (state.frames += 1);
  state.sockets = await openMany(
    sockets,
    (i) =>
      openBenchClient(target, name, {
        // Watchers have nothing to offer a newcomer; editors answer sync requests as editors do.
        passive: i >= EDITORS_AT_MOST,
        handlers: {
          onUpdate: (update, kind) => {
            count();
            if (kind === "sync-update") tracker.received(i, update);
          },
          onAwareness: count,
          onText: count,
        },
      }),
    50,
  );
  await Promise.race([Promise.all(state.sockets.map(syncedOrRefused)), sleep(30_000)]);
  await sleep(500);
  room = state;
  return { sockets, open: state.sockets.filter(isOpen).length, closedWith: await closeCodes(state.sockets) };
}

/** The first `editors` sockets type at `rateHz` each for `seconds`; every other open socket watches. */
export async function editBigRoom(options: {
  editors: number;
  seconds: number;
  rateHz: number;
}): Promise<BigRoomEditing> {
  if (!room) throw new Error("no big room is open");
  const { target, sockets, tracker } = room;
  const editors = sockets.slice(0, Math.min(options.editors, EDITORS_AT_MOST));
  const watchers = sockets.map((s, i) => ({ s, i })).filter(({ s, i }) => i >= editors.length && isOpen(s));
  await allSynced(
    target,
    sockets.filter((s) => isOpen(s)),
    30_000,
  );
  const first = editors[0];
  if (first) await tracker.warmUp(watchers.length, first.doc, (u) => first.sendUpdate(u));
  const total = Math.round(editors.length * options.rateHz * options.seconds);
  room.frames = 0;
  const started = performance.now();
  await new Promise<void>((resolve) => {
    let next = 0;
    const timer = setInterval(
      () => {
        const index = next % editors.length;
        const editor = editors[index];
        if (editor) tracker.edit(index, editor.doc, (u) => editor.sendUpdate(u));
        next += 1;
        if (next >= total) {
          clearInterval(timer);
          resolve();
        }
      },
      1000 / (editors.length * options.rateHz),
    );
  });
  const expectedAtWatchers = tracker.sent * watchers.length;
  const atWatchers = (): number => watchers.reduce((sum, { i }) => sum + tracker.deliveredTo(i), 0);
  const deadline = Date.now() + 10_000;
  while (atWatchers() < expectedAtWatchers && Date.now() < deadline) await sleep(50);
  const elapsed = (performance.now() - started) / 1000;
  return {
    editors: editors.length,
    watchers: watchers.length,
    rateHz: options.rateHz,
    seconds: options.seconds,
    sent: tracker.sent,
    expectedAtWatchers,
    deliveredAtWatchers: atWatchers(),
    watchersWithEveryEdit: watchers.filter(({ i }) => tracker.deliveredTo(i) === tracker.sent).length,
    latency: tracker.summaryFor((recipient) => recipient >= editors.length),
    framesPerSecond: Math.round(room.frames / elapsed),
  };
}

export async function closeBigRoom(): Promise<{ closed: number }> {
  const closing = room?.sockets ?? [];
  room = undefined;
  for (let i = 0; i < closing.length; i += 100)
    await Promise.all(closing.slice(i, i + 100).map((c) => c.close()));
  return { closed: closing.length };
}

/** Editors are the first sockets of the room; ten is the figure and the most this workload uses. */
const EDITORS_AT_MOST = 10;

/**
 * Opens `LIMITS.maxConnectionsPerRoom + extra` sockets into one room, one after another, and
 * reports how many the room kept and how it closed the rest.
 */
export async function probeCapacity(
  target: Target,
  extra: number,
): Promise<{ limit: number; tried: number; open: number; closedWith: Record<string, number> }> {
  const name = freshRoom("capacity");
  const tried = LIMITS.maxConnectionsPerRoom + extra;
  const sockets = await openMany(tried, () => openBenchClient(target, name, { passive: true }), 1);
  await Promise.race([Promise.all(sockets.map(syncedOrRefused)), sleep(10_000)]);
  await sleep(300);
  const result = {
    limit: LIMITS.maxConnectionsPerRoom,
    tried,
    open: sockets.filter(isOpen).length,
    closedWith: await closeCodes(sockets),
  };
  for (let i = 0; i < sockets.length; i += 50)
    await Promise.all(sockets.slice(i, i + 50).map((c) => c.close()));
  return result;
}

/** Settles once the socket has its first sync answer or the server has begun closing it. */
async function syncedOrRefused(client: HeadlessClient): Promise<void> {
  let synced = false;
  void client.synced.then(() => (synced = true));
  while (!synced && isOpen(client)) await sleep(20);
}

/** Close codes of the sockets the server closed, by name where shared knows it (`roomFull 4005: 3`). */
async function closeCodes(sockets: HeadlessClient[]): Promise<Record<string, number>> {
  const names = new Map<number, string>(
    Object.entries(CloseCode).map(([name, code]) => [code as number, name]),
  );
  const counts: Record<string, number> = {};
  for (const socket of sockets) {
    if (isOpen(socket)) continue;
    // The server's close frame is in, but workerd leaves the TCP connection open and ws would wait
    // its 30 s close timeout for the close event: end it here, the code the server sent is kept.
    socket.socket.terminate?.();
    const { code } = await socket.closed;
    const label = `${names.get(code) ?? "code"} ${code}`;
    counts[label] = (counts[label] ?? 0) + 1;
  }
  return counts;
}
