/**
 * The room's side of the Pusher bridge (room/pusher-bridge.ts), in Node:
 * driven by the real RoomLogic's effects, as the Durable Object feeds it,
 * it says which calls the bridged channels get, and none while they are off.
 */
import { PROTOCOL_VERSION, publicPersonId, type User } from "@edgeroom/shared";
import { describe, expect, it } from "vitest";
import { MemoryChatStore } from "../../src/room/chat-store.ts";
import type { Effect, RoomSocket } from "../../src/room/effects.ts";
import { MemoryBridgeSwitches, PusherBridge, type BridgeCall } from "../../src/room/pusher-bridge.ts";
import { RoomLogic } from "../../src/room/room-logic.ts";
import { MemoryUpdateStore } from "../../src/room/update-store.ts";

const NOW = 1_800_000_000_000;
const ROOM = "design-review";
const PRESENCE = `presence-edgeroom-${ROOM}`;
const PRIVATE = `private-edgeroom-${ROOM}`;
const ada: User = { name: "Ada", color: "#c2255c" };
const bob: User = { name: "Bob", color: "#1971c2" };
const ADA_SECRET = "ada-secret-person-id";
const BOB_SECRET = "bob-secret-person-id";
const OPEN = { ok: true, verified: undefined, expiresAt: undefined, madePrivate: false } as const;

/** The host's part: keeps each socket's state as the attachments do, and asks the bridge after every event. */
class Host {
  readonly room = new RoomLogic(
    { updates: new MemoryUpdateStore(), chat: new MemoryChatStore() },
    () => NOW,
    () => NOW,
  );
  readonly bridge: PusherBridge;
  readonly sockets = new Map<string, RoomSocket>();
  calls: BridgeCall[] = [];

  constructor(readonly switches = new MemoryBridgeSwitches()) {
    this.bridge = new PusherBridge(ROOM, switches);
  }

  people = () => this.room.people([...this.sockets.values()]);

  open(id: string): void {
    this.#run(this.room.opened(id, OPEN, [...this.sockets.values()], NOW), id);
  }

  send(id: string, message: object): void {
    const socket = this.sockets.get(id);
    if (!socket) throw new Error(`no socket ${id}`);
    this.#run(this.room.received(id, socket.peer, JSON.stringify(message), NOW));
  }

  hello(id: string, user: User, person: string): void {
    this.send(id, { type: "hello", v: PROTOCOL_VERSION, user, person });
  }

  close(id: string): void {
    const socket = this.sockets.get(id);
    if (!socket) throw new Error(`no socket ${id}`);
    this.sockets.delete(id);
    this.#run(this.room.closed(id, socket.peer, this.sockets.size));
  }

  run(effects: Effect[]): void {
    this.#run(effects);
  }

  take(): BridgeCall[] {
    return this.calls.splice(0);
  }

  #run(effects: readonly Effect[], opening?: string): void {
    for (const effect of effects) {
      if (effect.kind === "set-peer") {
        if (effect.socket === opening || this.sockets.has(effect.socket))
          this.sockets.set(effect.socket, { id: effect.socket, peer: effect.peer });
      }
      if (effect.kind === "evict" || effect.kind === "close") this.sockets.delete(effect.socket);
    }
    if (this.bridge.on) this.calls.push(...this.bridge.after(effects, this.people));
  }
}

function members(...people: [string, User][]) {
  return people.map(([secret, user]) => ({ user_id: publicPersonId(secret), user_info: user }));
}

describe("the presence channel", () => {
  it("gets the people here when it opens, then each change, never the same list twice", () => {
    const host = new Host();
    host.open("a");
    host.hello("a", ada, ADA_SECRET);
    expect(host.bridge.opened("presence", host.people)).toEqual([
      { kind: "set-members", channel: PRESENCE, members: members([ADA_SECRET, ada]) },
    ]);

    host.open("b");
    expect(host.take()).toEqual([]);
    host.hello("b", bob, BOB_SECRET);
    expect(host.take()).toEqual([
      { kind: "set-members", channel: PRESENCE, members: members([ADA_SECRET, ada], [BOB_SECRET, bob]) },
    ]);

    // A second tab of Ada's changes nobody.
    host.open("a2");
    host.hello("a2", ada, ADA_SECRET);
    host.send("a2", { type: "typing", active: true });
    expect(host.take()).toEqual([]);
  });

  it("hears a rename, and a person leaving only when their last socket goes", () => {
    const host = new Host();
    host.bridge.opened("presence", host.people);
    host.open("a");
    host.hello("a", ada, ADA_SECRET);
    host.open("a2");
    host.hello("a2", ada, ADA_SECRET);
    host.open("b");
    host.hello("b", bob, BOB_SECRET);
    host.take();

    const robert = { name: "Robert", color: bob.color };
    host.send("b", { type: "hello", v: PROTOCOL_VERSION, user: robert });
    expect(host.take()).toEqual([
      { kind: "set-members", channel: PRESENCE, members: members([ADA_SECRET, ada], [BOB_SECRET, robert]) },
    ]);

    host.close("a");
    expect(host.take()).toEqual([]);
    host.close("a2");
    expect(host.take()).toEqual([
      { kind: "set-members", channel: PRESENCE, members: members([BOB_SECRET, robert]) },
    ]);
  });

  it("is sent the whole list again when it reopens or a call to it failed", () => {
    const host = new Host();
    host.open("a");
    host.hello("a", ada, ADA_SECRET);
    host.bridge.opened("presence", host.people);
    expect(host.bridge.opened("presence", host.people)).toHaveLength(1);
    host.bridge.membersUnsent();
    host.send("a", { type: "typing", active: true });
    expect(host.take()).toEqual([
      { kind: "set-members", channel: PRESENCE, members: members([ADA_SECRET, ada]) },
    ]);
  });

  it("lists at most Pusher's 100 members", () => {
    const host = new Host();
    host.bridge.opened("presence", host.people);
    for (let i = 0; i < 102; i += 1) {
      host.open(`s${i}`);
      host.hello(`s${i}`, ada, `person-secret-${i}`);
    }
    const last = host.take().at(-1);
    expect(last?.kind === "set-members" && last.members.length).toBe(100);
  });
});

describe("the private channel", () => {
  it("gets each stored chat message and custom event, from sockets and from the backend", () => {
    const host = new Host();
    host.open("a");
    host.hello("a", ada, ADA_SECRET);
    host.bridge.opened("private", host.people);

    host.send("a", { type: "chat-send", id: "chat-0000001", text: "hello, Pusher" });
    const [chat] = host.take();
    expect(chat).toMatchObject({ kind: "publish", channel: PRIVATE });
    const published = chat?.kind === "publish" ? chat.events : [];
    expect(published).toHaveLength(1);
    expect(published[0]?.event).toBe("chat-message");
    expect(JSON.parse(published[0]!.data)).toEqual({
      id: "chat-0000001",
      seq: 1,
      at: NOW,
      author: ada,
      text: "hello, Pusher",
    });

    // A retried id is stored once and reaches nobody again.
    host.send("a", { type: "chat-send", id: "chat-0000001", text: "hello, Pusher" });
    expect(host.take()).toEqual([]);

    host.send("a", { type: "event-send", event: { type: "poll:vote", data: { choice: 2 } } });
    const [custom] = host.take();
    const event = custom?.kind === "publish" ? custom.events[0] : undefined;
    expect(event?.event).toBe("custom-event");
    expect(JSON.parse(event!.data)).toEqual({
      type: "poll:vote",
      data: { choice: 2 },
      from: { kind: "socket", key: "a", person: publicPersonId(ADA_SECRET), user: ada },
    });

    const bot = { id: "bot-00000001", name: "Build bot" };
    host.run(host.room.serverChat({ id: "chat-0000002", text: "deployed", author: bot }).effects);
    host.run(host.room.serverEvent({ type: "deploy" }, [...host.sockets.values()]).effects);
    const events = host.take().flatMap((call) => (call.kind === "publish" ? call.events : []));
    expect(events.map((e) => e.event)).toEqual(["chat-message", "custom-event"]);
    expect(JSON.parse(events[0]!.data)).toMatchObject({ text: "deployed", author: { bot: bot.id } });
    expect(JSON.parse(events[1]!.data)).toEqual({ type: "deploy", from: { kind: "server" } });
  });

  it("carries nothing else the room sends: typing, names, the document", () => {
    const host = new Host();
    host.open("a");
    host.hello("a", ada, ADA_SECRET);
    host.bridge.opened("private", host.people);
    host.send("a", { type: "typing", active: true });
    host.send("a", { type: "room-name-set", name: "Design review" });
    host.send("a", { type: "pointer", at: { pos: 0, dx: 1, dy: 2 } });
    expect(host.take()).toEqual([]);
  });

  it("leaves out a message whose data would pass Pusher's 10 KB", () => {
    const host = new Host();
    host.open("a");
    host.hello("a", ada, ADA_SECRET);
    host.bridge.opened("private", host.people);
    // 2,000 characters that JSON writes as six bytes each.
    host.send("a", { type: "chat-send", id: "chat-0000003", text: `x${"\u0001".repeat(1999)}` });
    expect(host.take()).toEqual([]);
    host.send("a", { type: "chat-send", id: "chat-0000004", text: "short" });
    expect(host.take()).toHaveLength(1);
  });
});

describe("switching", () => {
  it("asks nothing while both channels are off, and nothing once one is vacated", () => {
    const host = new Host();
    host.open("a");
    host.hello("a", ada, ADA_SECRET);
    host.send("a", { type: "chat-send", id: "chat-0000001", text: "nobody listens" });
    expect(host.bridge.on).toBe(false);
    expect(host.take()).toEqual([]);

    host.bridge.opened("private", host.people);
    host.bridge.opened("presence", host.people);
    host.bridge.closed("private");
    host.send("a", { type: "chat-send", id: "chat-0000002", text: "still nobody" });
    host.close("a");
    expect(host.take()).toEqual([{ kind: "set-members", channel: PRESENCE, members: [] }]);
    host.bridge.closed("presence");
    expect(host.bridge.on).toBe(false);
  });

  it("keeps its switches where they survive hibernation", () => {
    const switches = new MemoryBridgeSwitches();
    const before = new PusherBridge(ROOM, switches);
    before.opened("private", () => []);
    const after = new PusherBridge(ROOM, switches);
    expect(after.on).toBe(true);
    expect(after.channels).toEqual([PRIVATE]);
    after.closed("private");
    expect(new PusherBridge(ROOM, switches).on).toBe(false);
  });

  it("knows only its own room's two channels", () => {
    const bridge = new PusherBridge(ROOM, new MemoryBridgeSwitches());
    expect(bridge.kindOf(PRESENCE)).toBe("presence");
    expect(bridge.kindOf(PRIVATE)).toBe("private");
    expect(bridge.kindOf("presence-edgeroom-other-room")).toBeUndefined();
    expect(bridge.kindOf(`private-encrypted-edgeroom-${ROOM}`)).toBeUndefined();
    expect(bridge.kindOf(ROOM)).toBeUndefined();
  });
});
