/**
 * Custom events through the room logic: relayed to everyone else with the
 * sender as the room knows it, and bounded for the room as a whole (a crowd
 * of senders, each within its own rate, cannot multiply fan-out without end).
 */
import { ErrorCode, LIMITS, PROTOCOL_VERSION, type ServerAppMessage } from "@edgeroom/shared";
import { describe, expect, it } from "vitest";
import { MemoryChatStore } from "../../src/room/chat-store.ts";
import type { Effect } from "../../src/room/effects.ts";
import { NEW_PEER, type PeerState } from "../../src/room/reaction.ts";
import { RoomLogic } from "../../src/room/room-logic.ts";
import { MemoryUpdateStore } from "../../src/room/update-store.ts";

const NOW = 1_800_000_000_000;

function helloed(room: RoomLogic, socket: string, name: string): PeerState {
  const hello = JSON.stringify({ type: "hello", v: PROTOCOL_VERSION, user: { name, color: "#1971c2" } });
  const set = room.received(socket, NEW_PEER, hello, NOW).find((e) => e.kind === "set-peer");
  if (set?.kind !== "set-peer") throw new Error("no peer");
  return set.peer;
}

const relayed = (effects: Effect[]) =>
  effects.filter(
    (e) => e.kind === "broadcast" && !(e.frame instanceof Uint8Array) && e.frame.type === "event",
  );
const errors = (effects: Effect[]) =>
  effects.flatMap((e) =>
    e.kind === "send" && !(e.frame instanceof Uint8Array) && e.frame.type === "error" ? [e.frame] : [],
  );

describe("custom events", () => {
  it("relay to everyone else with the sender as the room knows it, whatever the event claims", () => {
    const room = new RoomLogic(
      { updates: new MemoryUpdateStore(), chat: new MemoryChatStore() },
      () => NOW,
      () => NOW,
    );
    const ada = helloed(room, "a", "Ada");
    const frame = JSON.stringify({
      type: "event-send",
      event: { type: "poll:vote", data: { from: "Bo" } },
      from: "x",
    });
    const [broadcast] = relayed(room.received("a", ada, frame, NOW));
    expect(broadcast).toMatchObject({ kind: "broadcast", lane: "app", except: "a" });
    const message = (broadcast as { frame: ServerAppMessage }).frame;
    expect(message).toEqual({
      type: "event",
      event: { type: "poll:vote", data: { from: "Bo" } },
      from: { kind: "socket", key: "a", user: { name: "Ada", color: "#1971c2" } },
    });
  });

  it("stop at the room's budget of event bytes when many senders stay within their own rates", () => {
    let now = NOW;
    const clock = () => now;
    const room = new RoomLogic(
      { updates: new MemoryUpdateStore(), chat: new MemoryChatStore() },
      clock,
      clock,
    );
    const data = "x".repeat(LIMITS.maxCustomEventBytes - 2);
    const frame = JSON.stringify({ type: "event-send", event: { type: "big", data } });
    let sent = 0;
    let refused = 0;
    // Ten senders, each sending well within its own `events` burst.
    for (let s = 0; s < 10; s++) {
      const peer = helloed(room, `s${s}`, `P${s}`);
      for (let i = 0; i < 10; i++) {
        const effects = room.received(`s${s}`, peer, frame, now);
        sent += relayed(effects).length;
        refused += errors(effects).filter((e) => e.code === ErrorCode.rateLimited).length;
      }
    }
    const perEvent = LIMITS.maxCustomEventBytes;
    expect(sent).toBeLessThanOrEqual(Math.ceil(LIMITS.roomEventBytes.burst / perEvent) + 1);
    expect(refused).toBe(100 - sent);
    // The budget refills: a second later the room relays again.
    now += 1000;
    const again = room.received("s0", helloed(room, "s0", "P0"), frame, now);
    expect(relayed(again)).toHaveLength(1);
  });
});
