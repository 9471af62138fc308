import type { ClientAppMessage, EmbedEvent, HostCommand, VerifiedIdentity } from "@edgeroom/shared";
import { describe, expect, it } from "vitest";
import { AppLane } from "../src/connection/app-lane.ts";
import { createConnectionStore } from "../src/connection/connection-store.ts";
import { relayCustomEvents } from "../src/embed/host-custom-events.ts";
import { EventsClient } from "../src/events/events-client.ts";

const viewer: VerifiedIdentity = { id: "user-7", name: "Ada", color: "#1971c2", scope: "view" };

function fakeRoom(open = true) {
  const sent: ClientAppMessage[] = [];
  const lane = new AppLane((message) => {
    if (open) sent.push(message);
    return open;
  });
  const state = createConnectionStore();
  return { sent, lane, state, events: new EventsClient({ lane, state }) };
}

function fakeBridge() {
  const posted: Array<Omit<EmbedEvent, "channel">> = [];
  const listeners = new Set<(command: HostCommand) => void>();
  return {
    posted,
    send: (event: Omit<EmbedEvent, "channel">) => posted.push(event),
    listen: (listener: (command: HostCommand) => void) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    command: (command: HostCommand) => {
      for (const listener of listeners) listener(command);
    },
  };
}

describe("custom events client", () => {
  it("sends on the lane, says when it could not, and refuses for a view-only socket", () => {
    const room = fakeRoom();
    expect(room.events.send({ type: "poll:vote", data: 2 })).toBe("sent");
    expect(room.sent).toEqual([{ type: "event-send", event: { type: "poll:vote", data: 2 } }]);
    // Downgraded (`access`) or a view token: nothing goes out.
    room.state.setState({ verified: viewer });
    expect(room.events.send({ type: "poll:vote" })).toBe("read-only");
    expect(room.sent).toHaveLength(1);
    expect(fakeRoom(false).events.send({ type: "x" })).toBe("not-connected");
  });

  it("hands every relayed event to its listeners with the sender", () => {
    const room = fakeRoom();
    const heard: unknown[] = [];
    const stop = room.events.on((event, from) => heard.push({ event, from }));
    room.lane.deliver({ type: "event", event: { type: "hi" }, from: { kind: "server" } });
    stop();
    room.lane.deliver({ type: "event", event: { type: "later" }, from: { kind: "server" } });
    expect(heard).toEqual([{ event: { type: "hi" }, from: { kind: "server" } }]);
  });
});

describe("host custom events", () => {
  it("a host's send-event goes into the room; a view-only embed answers error and sends nothing", () => {
    const room = fakeRoom();
    const bridge = fakeBridge();
    let readOnly = false;
    const stop = relayCustomEvents(bridge, room.events, () => readOnly);
    bridge.command({ channel: "edgeroom", type: "send-event", event: { type: "cursor:ping" } });
    bridge.command({ channel: "edgeroom", type: "set-theme", theme: "dark" });
    expect(room.sent).toEqual([{ type: "event-send", event: { type: "cursor:ping" } }]);
    readOnly = true;
    bridge.command({ channel: "edgeroom", type: "send-event", event: { type: "cursor:ping" } });
    expect(room.sent).toHaveLength(1);
    expect(bridge.posted).toEqual([
      { type: "error", command: "send-event", code: "read-only", message: expect.any(String) },
    ]);
    stop();
  });

  it("every event the embed receives goes to the host, until stopped", () => {
    const room = fakeRoom();
    const bridge = fakeBridge();
    const stop = relayCustomEvents(bridge, room.events, () => false);
    const from = { kind: "socket" as const, key: "k1", user: { name: "Bo", color: "#1971c2" } };
    room.lane.deliver({ type: "event", event: { type: "hi", data: { n: 1 } }, from });
    stop();
    room.lane.deliver({ type: "event", event: { type: "gone" }, from: { kind: "server" } });
    expect(bridge.posted).toEqual([{ type: "event", event: { type: "hi", data: { n: 1 } }, from }]);
  });
});
