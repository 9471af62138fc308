import { runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { LIMITS } from "@edgeroom/shared";
import { describe, expect, it } from "vitest";
import type { PeerState } from "../../src/room/reaction.ts";
import type { Room } from "../../src/durable/room-server.ts";
import { connectClosedAfterEach } from "../support/connect.ts";
import type { HeadlessClient } from "@edgeroom/testkit";

const connectClosed = connectClosedAfterEach();
const connect = (room: string, name: string): Promise<HeadlessClient> =>
  connectClosed(room, { user: { name, color: "#225588" } });

const stub = (room: string) => env.Room.get(env.Room.idFromName(room));

describe("pointers", () => {
  it("batches moves: each recipient gets the newest position of the others, never its own", async () => {
    const a = await connect("pointer-room", "Ada");
    const b = await connect("pointer-room", "Bo");
    const c = await connect("pointer-room", "Cy");
    for (let i = 0; i < 5; i++) {
      a.sendApp({ type: "pointer", at: { pos: i, dx: 1, dy: 2 } });
      b.sendApp({ type: "pointer", at: { pos: 10 + i, dx: 3, dy: 4 } });
    }
    const batches = (client: HeadlessClient) => client.app.filter((m) => m.type === "pointers");
    await c.until(() => batches(c).length > 0);
    await a.until(() => batches(a).length > 0);
    const toC = batches(c).flatMap((m) => (m.type === "pointers" ? m.moves : []));
    expect(toC.at(-1)).toBeDefined();
    const newest = new Map(toC.map((m) => [m.user.name, m.at]));
    expect(newest.get("Ada")).toEqual({ pos: 4, dx: 1, dy: 2 });
    expect(newest.get("Bo")).toEqual({ pos: 14, dx: 3, dy: 4 });
    // Ten moves reached C in far fewer frames than ten, and A never hears about its own pointer.
    expect(batches(c).length).toBeLessThan(10);
    const toA = batches(a).flatMap((m) => (m.type === "pointers" ? m.moves : []));
    expect(toA.every((m) => m.user.name === "Bo")).toBe(true);
  });

  it("drops malformed pointer frames with an error and relays nothing", async () => {
    const a = await connect("pointer-bad", "Ada");
    const b = await connect("pointer-bad", "Bo");
    a.sendApp({ type: "pointer", at: { pos: -1, dx: 0, dy: 0 } });
    a.sendApp({ type: "pointer", at: { pos: 1, dx: Number.MAX_SAFE_INTEGER, dy: 0 } });
    await a.until(() => a.app.filter((m) => m.type === "error").length === 2);
    b.sendApp({ type: "pointer", at: { pos: 0, dx: 0, dy: 0 } });
    await a.until(() => a.app.some((m) => m.type === "pointers"));
    expect(b.app.some((m) => m.type === "pointers")).toBe(false);
    const refused = await runInDurableObject(stub("pointer-bad"), (instance: Room) =>
      [...instance.getConnections<PeerState>()].map((c) => (c.state as PeerState).refused ?? 0),
    );
    expect(refused.sort()).toEqual([0, 2]);
  });
});

describe("heartbeats and ghosts", () => {
  it("answers the heartbeat without the app lane parser", async () => {
    const a = await connect("heartbeat-room", "Ada");
    a.socket.send("ping");
    await a.until(() => a.textFrames.includes("pong"));
    expect(a.app.some((m) => m.type === "error")).toBe(false);
  });

  it("removes a socket whose heartbeat went quiet, and keeps one that beats", async () => {
    const quiet = await connect("ghost-room", "Quiet");
    const alive = await connect("ghost-room", "Alive");
    const watcher = await connect("ghost-room", "Watcher");
    quiet.setAwareness(501, 1, { user: { name: "Quiet", color: "#225588" } });
    alive.setAwareness(502, 1, { user: { name: "Alive", color: "#225588" } });
    await watcher.until(() => watcher.awareness.has(501) && watcher.awareness.has(502));

    // Pretend the quiet and the alive socket connected a minute ago; only `alive` has beaten since.
    await runInDurableObject(stub("ghost-room"), (instance: Room) => {
      for (const connection of instance.getConnections<PeerState>()) {
        const state = connection.state as PeerState;
        connection.setState({ ...state, since: Date.now() - 60_000 });
      }
      instance.rereadSockets();
    });
    alive.socket.send("ping");
    watcher.socket.send("ping");
    await alive.until(() => alive.textFrames.includes("pong"));
    await watcher.until(() => watcher.textFrames.includes("pong"));

    expect(await runDurableObjectAlarm(stub("ghost-room"))).toBe(true);
    await watcher.until(() => !watcher.awareness.has(501));
    expect(watcher.awareness.has(502)).toBe(true);
    const closed = await quiet.closed;
    expect(closed.code).toBe(4008);
  });

  it("sweeps on a socket's check-in, without the alarm, and then leaves the alarm only as a backup", async () => {
    const quiet = await connect("check-in-room", "Quiet");
    const watcher = await connect("check-in-room", "Watcher");
    quiet.setAwareness(601, 1, { user: { name: "Quiet", color: "#225588" } });
    await watcher.until(() => watcher.awareness.has(601));
    // The first two sockets to say hello were asked to check in.
    await quiet.until(() => quiet.app.some((m) => m.type === "check-in-due"));
    await watcher.until(() => watcher.app.some((m) => m.type === "check-in-due"));
    const askedBefore = watcher.app.filter((m) => m.type === "check-in-due").length;

    await runInDurableObject(stub("check-in-room"), (instance: Room) => {
      for (const connection of instance.getConnections<PeerState>()) {
        const state = connection.state as PeerState;
        connection.setState({ ...state, since: Date.now() - 60_000 });
      }
      instance.rereadSockets();
    });
    watcher.socket.send("ping");
    await watcher.until(() => watcher.textFrames.includes("pong"));
    // The watcher's arrival swept already; a check-in sweeps again once half a period has passed.
    await new Promise((resolve) => setTimeout(resolve, LIMITS.heartbeatSweepMs / 2));
    watcher.socket.send("ping");
    await watcher.until(() => watcher.textFrames.filter((f) => f === "pong").length >= 2);
    const before = Date.now();
    watcher.sendApp({ type: "check-in" });

    // No alarm ran: the check-in swept the silent socket and asked the one still beating.
    const closed = await quiet.closed;
    expect(closed.code).toBe(4008);
    await watcher.until(() => !watcher.awareness.has(601));
    await watcher.until(() => watcher.app.filter((m) => m.type === "check-in-due").length > askedBefore);
    const alarm = await runInDurableObject(stub("check-in-room"), (_instance: Room, state) =>
      state.storage.getAlarm(),
    );
    expect(alarm).not.toBeNull();
    // Minutes away: it backs the check-ins up; it is not the sweep.
    expect(alarm!).toBeGreaterThan(before + LIMITS.sweepFallbackMs / 2);
  });
});
