/**
 * Sweeps for dead sockets ride on one asked socket's `check-in` (a cheap
 * message) and fall back to the alarm: who is asked, what a flood of
 * check-ins costs, what happens when the asked socket leaves or goes
 * silent, and, in a simulated hour of heartbeats and deaths, that every
 * dead socket still leaves within 30 s while the alarm almost never runs.
 */
import { CloseCode, encodeSyncUpdate, LIMITS, PROTOCOL_VERSION } from "@edgeroom/shared";
import { describe, expect, it } from "vitest";
import { MemoryChatStore } from "../../src/room/chat-store.ts";
import type { Effect, RoomSocket } from "../../src/room/effects.ts";
import { NEW_PEER, type PeerState } from "../../src/room/reaction.ts";
import { RoomLogic } from "../../src/room/room-logic.ts";
import { MemoryUpdateStore } from "../../src/room/update-store.ts";

const NOW = 1_800_000_000_000;
const HELLO = JSON.stringify({ type: "hello", v: PROTOCOL_VERSION, user: { name: "Ada", color: "#c2255c" } });
const CHECK_IN = JSON.stringify({ type: "check-in" });

function newRoom(clock: () => number = () => NOW, random?: () => number): RoomLogic {
  return new RoomLogic({ updates: new MemoryUpdateStore(), chat: new MemoryChatStore() }, clock, clock, {
    ...(random ? { random } : {}),
  });
}

function asked(effects: readonly Effect[]): { socket: string; afterMs: number }[] {
  return effects.flatMap((e) =>
    e.kind === "send" && !(e.frame instanceof Uint8Array) && e.frame.type === "check-in-due"
      ? [{ socket: e.socket, afterMs: e.frame.afterMs }]
      : [],
  );
}

function appPeer(since = NOW - 60_000): PeerState {
  return { ...NEW_PEER, appLane: true, since };
}

describe("who is asked to check in", () => {
  it("the first two sockets to open the app lane, with the alarm behind them; the third is not asked", () => {
    const room = newRoom();
    const first = room.received("a", { ...NEW_PEER, since: NOW }, HELLO, NOW);
    expect(asked(first)).toEqual([{ socket: "a", afterMs: 0 }]);
    expect(first).toContainEqual({ kind: "wake-by", at: NOW + LIMITS.sweepFallbackMs });
    expect(asked(room.received("b", { ...NEW_PEER, since: NOW }, HELLO, NOW))).toEqual([
      { socket: "b", afterMs: 0 },
    ]);
    const third = room.received("c", { ...NEW_PEER, since: NOW }, HELLO, NOW);
    expect(asked(third)).toEqual([]);
    expect(third.some((e) => e.kind === "wake-by")).toBe(false);
  });

  it("a check-in sweeps once per half period however many arrive", () => {
    const room = newRoom();
    room.received("a", { ...NEW_PEER, since: NOW }, HELLO, NOW);
    expect(room.received("a", appPeer(), CHECK_IN, NOW)).toEqual([{ kind: "sweep" }]);
    room.sweep(NOW, [{ id: "a", peer: appPeer(), lastHeartbeat: NOW }]);
    for (let i = 1; i < 50; i += 1) {
      expect(room.received("a", appPeer(), CHECK_IN, NOW + i * 100)).toEqual([]);
    }
    expect(room.received("a", appPeer(), CHECK_IN, NOW + LIMITS.heartbeatSweepMs / 2)).toEqual([
      { kind: "sweep" },
    ]);
  });

  it("a sweep evicts the silent, asks two recent sockets of different people, and only lowers the alarm", () => {
    const room = newRoom();
    const ada = () => ({ ...appPeer(), person: "ada" });
    const effects = room.sweep(NOW, [
      { id: "old", peer: appPeer(), lastHeartbeat: NOW - 4_000 },
      { id: "fresh", peer: ada(), lastHeartbeat: NOW - 100 },
      { id: "fresh-tab", peer: ada(), lastHeartbeat: NOW - 200 },
      { id: "dead", peer: appPeer(), lastHeartbeat: NOW - LIMITS.heartbeatTimeoutMs - 1 },
      { id: "stock", peer: { ...NEW_PEER, since: NOW - 60_000 } },
    ]);
    expect(effects[0]).toEqual({ kind: "evict", socket: "dead", code: CloseCode.heartbeatTimeout });
    // Ada's two tabs would vanish together (a closed laptop): one of them, and someone else.
    const chosen = asked(effects);
    expect(chosen.every((a) => a.afterMs === LIMITS.heartbeatSweepMs)).toBe(true);
    const ids = chosen.map((a) => a.socket);
    expect(ids).toHaveLength(2);
    expect(ids).toContain("old");
    expect(ids.filter((id) => id === "fresh" || id === "fresh-tab")).toHaveLength(1);
    expect(effects.slice(3)).toEqual([
      // The stock client hears something at every sweep, so it never takes the room for gone.
      { kind: "send", socket: "stock", frame: encodeSyncUpdate(new Uint8Array([0, 0])) },
      { kind: "wake-by", at: NOW + LIMITS.sweepFallbackMs },
    ]);
  });

  it("asks at random among recent sockets, so beating faster does not make a socket the one always asked", () => {
    const counts = new Map<string, number>();
    const sockets = ["a", "b", "c", "d"].map((id) => ({
      id,
      peer: appPeer(),
      // `a` beats constantly; the others every 5 s like the web app.
      lastHeartbeat: id === "a" ? NOW : NOW - 4_000,
    }));
    for (let round = 0; round < 200; round += 1) {
      for (const { socket } of asked(newRoom().sweep(NOW, sockets))) {
        counts.set(socket, (counts.get(socket) ?? 0) + 1);
      }
    }
    // Each is asked about half the time (2 of 4); `a` is not asked every time.
    for (const id of ["a", "b", "c", "d"]) expect(counts.get(id) ?? 0).toBeGreaterThan(50);
    expect(counts.get("a")).toBeLessThan(180);
  });

  it("stock clients send no heartbeat: a room of them needs no sweep", () => {
    const effects = newRoom().alarm(NOW, [{ id: "stock", peer: { ...NEW_PEER, since: NOW - 60_000 } }]);
    expect(asked(effects)).toEqual([]);
    expect(effects.at(-1)).toEqual({
      kind: "plan-alarm",
      sweepAfterMs: undefined,
      tokenExpiresAt: undefined,
    });
  });

  it("when both asked sockets miss their check-in, others are asked first and the alarm returns when the missed could be silent", () => {
    const room = newRoom();
    // `other` has not beaten for 11 s (not recent, not yet silent): the two recent ones are asked.
    const first = room.sweep(NOW, [
      { id: "quiet", peer: appPeer(), lastHeartbeat: NOW },
      { id: "hushed", peer: appPeer(), lastHeartbeat: NOW },
      { id: "other", peer: appPeer(), lastHeartbeat: NOW - 11_000 },
    ]);
    expect(
      asked(first)
        .map((a) => a.socket)
        .sort(),
    ).toEqual(["hushed", "quiet"]);
    const at = NOW + LIMITS.heartbeatSweepMs + 5_000;
    // Neither checked in; their last heartbeats are 8 s and 9 s old: not silent yet.
    const effects = room.alarm(at, [
      { id: "quiet", peer: appPeer(), lastHeartbeat: at - 8_000 },
      { id: "hushed", peer: appPeer(), lastHeartbeat: at - 9_000 },
      { id: "other", peer: appPeer(), lastHeartbeat: at - 1_000 },
    ]);
    expect(asked(effects).map((a) => a.socket)).toEqual(["other", "quiet"]);
    expect(effects.at(-1)).toEqual({
      kind: "plan-alarm",
      sweepAfterMs: LIMITS.heartbeatTimeoutMs - 9_000 + 1,
      tokenExpiresAt: undefined,
    });
  });

  it("an alarm for something else (a snapshot) is no missed check-in", () => {
    const room = newRoom();
    room.sweep(NOW, [{ id: "a", peer: appPeer(), lastHeartbeat: NOW }]);
    const effects = room.alarm(NOW + 3_000, [{ id: "a", peer: appPeer(), lastHeartbeat: NOW + 2_000 }]);
    expect(effects.at(-1)).toMatchObject({ kind: "plan-alarm", sweepAfterMs: LIMITS.sweepFallbackMs });
  });

  it("when an asked socket leaves, another is asked for the sweep already due", () => {
    const room = newRoom();
    // `c` has not beaten for 11 s: `a` and `b` are the recent ones, and are asked.
    room.sweep(NOW, [
      { id: "a", peer: appPeer(), lastHeartbeat: NOW },
      { id: "b", peer: appPeer(), lastHeartbeat: NOW - 1_000 },
      { id: "c", peer: appPeer(), lastHeartbeat: NOW - 11_000 },
    ]);
    expect(room.closed("a", appPeer(), 2)).toContainEqual({ kind: "ask-check-in" });
    const open = [
      { id: "b", peer: appPeer(), lastHeartbeat: NOW + 2_000 },
      { id: "c", peer: appPeer(), lastHeartbeat: NOW + 2_000 },
    ];
    expect(room.askCheckIn(NOW + 3_000, open)).toEqual([
      {
        kind: "send",
        socket: "c",
        frame: { type: "check-in-due", afterMs: LIMITS.heartbeatSweepMs - 3_000 },
      },
    ]);
    // A socket that was not asked leaves quietly.
    expect(room.closed("d", appPeer(), 2)).not.toContainEqual({ kind: "ask-check-in" });
  });

  it("a newcomer makes a due sweep run at once", () => {
    const room = newRoom();
    const door = { ok: true, verified: undefined, expiresAt: undefined, madePrivate: false } as const;
    const others = [{ id: "a", peer: appPeer(), lastHeartbeat: NOW }];
    expect(room.opened("n", door, others, NOW)).toContainEqual({ kind: "sweep" });
    room.sweep(NOW, others);
    expect(room.opened("m", door, others, NOW + 1_000)).not.toContainEqual({ kind: "sweep" });
  });
});

/**
 * An hour of a room, in 100 ms steps: live sockets heartbeat every 5 s (as
 * the web client does) and answer `check-in-due` on time; sockets die
 * (stop everything, never close) at seeded times, the asked one included,
 * and new ones join. The host's part is played as room-server.ts plays it.
 */
function simulateHour(seed: number): { ghostSeconds: number[]; alarms: number; checkIns: number } {
  let random = seed;
  const next = () => (random = (random * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31;
  let now = NOW;
  const room = newRoom(() => now, next);
  type Sim = { id: string; peer: PeerState; beat: number; diesAt: number; due: number | undefined };
  const sockets = new Map<string, Sim>();
  let alarmAt: number | undefined;
  let alarms = 0;
  let checkIns = 0;
  const ghostSeconds: number[] = [];
  let made = 0;

  const open = (): RoomSocket[] =>
    [...sockets.values()].map((s) => ({ id: s.id, peer: s.peer, lastHeartbeat: s.beat }));
  const run = (now: number, effects: Effect[]): void => {
    for (const effect of effects) {
      if (effect.kind === "evict") {
        const gone = sockets.get(effect.socket);
        if (!gone) continue;
        sockets.delete(effect.socket);
        expect(effect.code).toBe(CloseCode.heartbeatTimeout);
        expect(gone.diesAt).toBeLessThanOrEqual(now);
        ghostSeconds.push((now - gone.diesAt) / 1000);
        run(now, room.closed(gone.id, gone.peer, sockets.size, true));
      } else if (effect.kind === "send" && !(effect.frame instanceof Uint8Array)) {
        const frame = effect.frame;
        const target = sockets.get(effect.socket);
        if (frame.type === "check-in-due" && target) target.due = now + frame.afterMs;
      } else if (effect.kind === "sweep") run(now, room.sweep(now, open()));
      else if (effect.kind === "ask-check-in") run(now, room.askCheckIn(now, open()));
      else if (effect.kind === "wake-by") alarmAt = Math.min(alarmAt ?? Infinity, effect.at);
      else if (effect.kind === "plan-alarm")
        alarmAt = effect.sweepAfterMs === undefined ? undefined : now + effect.sweepAfterMs;
    }
  };
  const join = (now: number): void => {
    const id = `s${made++}`;
    const lifetime = next() < 0.5 ? 60_000 + next() * 600_000 : Infinity;
    const sim: Sim = {
      id,
      peer: { ...NEW_PEER, since: now },
      beat: now,
      diesAt: now + lifetime,
      due: undefined,
    };
    sockets.set(id, sim);
    run(
      now,
      room.opened(id, { ok: true, verified: undefined, expiresAt: undefined, madePrivate: false }, [], now),
    );
    const effects = room.received(id, sim.peer, HELLO, now);
    const set = effects.find((e) => e.kind === "set-peer");
    if (set?.kind === "set-peer") sim.peer = set.peer;
    run(now, effects);
  };

  for (let i = 0; i < 5; i += 1) join(NOW);
  for (; now < NOW + 3_600_000; now += 100) {
    if (next() < 0.0005) join(now);
    for (const s of [...sockets.values()]) {
      const alive = now < s.diesAt;
      if (alive && (now - s.beat >= LIMITS.heartbeatIntervalMs || now === NOW)) s.beat = now;
      if (alive && s.due !== undefined && now >= s.due) {
        s.due = undefined;
        checkIns += 1;
        run(now, room.received(s.id, s.peer, CHECK_IN, now));
      }
    }
    if (alarmAt !== undefined && now >= alarmAt) {
      alarms += 1;
      alarmAt = undefined;
      run(
        now,
        room.alarm(now, open()).filter((e) => e.kind !== "save-snapshot"),
      );
    }
  }
  return { ghostSeconds, alarms, checkIns };
}

describe("an hour of check-ins", () => {
  it.each([1, 2, 3, 4])(
    "seed %i: every dead socket leaves within 30 s, and the alarm rarely runs",
    (seed) => {
      const { ghostSeconds, alarms, checkIns } = simulateHour(seed);
      expect(ghostSeconds.length).toBeGreaterThan(0);
      for (const seconds of ghostSeconds) expect(seconds).toBeLessThanOrEqual(30);
      // A sweep every 10 s is 360 an hour, all of them alarms before check-ins; now the alarm runs
      // only after a missed check-in (0–4 an hour in these seeds).
      expect(checkIns).toBeGreaterThan(300);
      expect(alarms).toBeLessThan(20);
    },
  );
});
