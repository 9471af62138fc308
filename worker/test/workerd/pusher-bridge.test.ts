/**
 * The bridge between Edgeroom rooms and Pusher channels, inside workerd:
 * Pusher sockets through the Worker's `/app/<key>` and Edgeroom sockets
 * through `/parties/room/<room>`, both real. The room's people become
 * members of `presence-edgeroom-<room>`, its chat and custom events arrive
 * on `private-edgeroom-<room>`, the bridge stops when the channel empties,
 * and nothing reaches a Pusher client that the app's signature did not let in.
 */
import { env, listDurableObjectIds, runInDurableObject, SELF } from "cloudflare:test";
import { publicPersonId } from "@edgeroom/shared";
import { describe, expect, it } from "vitest";
import type { Room } from "../../src/durable/room-server.ts";
import { hmacSha256Hex } from "../../src/pusher/signing/hmac.ts";
import { TEST_PUSHER_APP } from "../../../testkit/src/test-config.ts";
import { connectClosedAfterEach } from "../support/connect.ts";

const connect = connectClosedAfterEach();
const ada = { name: "Ada", color: "#c2255c" };
const bob = { name: "Bob", color: "#1971c2" };
const ADA = "ada-secret-person-id";
const BOB = "bob-secret-person-id";

interface PusherFrame {
  event: string;
  channel?: string;
  data?: unknown;
}

/** A Pusher protocol 7 client on a real socket through the Worker, signing as the app's auth endpoint would. */
class PusherSocket {
  readonly frames: PusherFrame[] = [];
  socketId = "";
  readonly #socket: WebSocket;
  #waiters: Array<() => void> = [];

  private constructor(socket: WebSocket) {
    this.#socket = socket;
    socket.addEventListener("message", (event) => {
      this.frames.push(JSON.parse(event.data as string) as PusherFrame);
      for (const wake of this.#waiters.splice(0)) wake();
    });
  }

  static async open(): Promise<PusherSocket> {
    const response = await SELF.fetch(
      `http://edgeroom.test/app/${TEST_PUSHER_APP.key}?protocol=7&client=js&version=8.6.0`,
      { headers: { Upgrade: "websocket" } },
    );
    const socket = response.webSocket;
    if (response.status !== 101 || !socket) throw new Error(`upgrade refused: ${response.status}`);
    socket.accept();
    const client = new PusherSocket(socket);
    const established = await client.next((f) => f.event === "pusher:connection_established");
    client.socketId = (JSON.parse(established.data as string) as { socket_id: string }).socket_id;
    return client;
  }

  /** Subscribes with the app's signature (or `auth` as given), and waits for the answer. */
  async subscribe(channel: string, options: { userId?: string; auth?: string } = {}): Promise<PusherFrame> {
    const channelData =
      options.userId === undefined
        ? undefined
        : JSON.stringify({ user_id: options.userId, user_info: { name: "Pusher" } });
    const signed =
      channelData === undefined
        ? `${this.socketId}:${channel}`
        : `${this.socketId}:${channel}:${channelData}`;
    const auth =
      options.auth ?? `${TEST_PUSHER_APP.key}:${await hmacSha256Hex(TEST_PUSHER_APP.secret, signed)}`;
    const data: Record<string, string> = { channel, auth };
    if (channelData !== undefined) data["channel_data"] = channelData;
    this.#socket.send(JSON.stringify({ event: "pusher:subscribe", data }));
    return this.next(
      (f) =>
        f.channel === channel &&
        (f.event === "pusher_internal:subscription_succeeded" || f.event === "pusher:subscription_error"),
    );
  }

  /** A client event, as pusher-js's `channel.trigger` sends it. */
  trigger(channel: string, event: string, data: unknown): void {
    this.#socket.send(JSON.stringify({ event, channel, data }));
  }

  unsubscribe(channel: string): void {
    this.#socket.send(JSON.stringify({ event: "pusher:unsubscribe", data: { channel } }));
  }

  /** The first frame (received so far or later) that `match` accepts. */
  async next(match: (frame: PusherFrame) => boolean, timeoutMs = 5_000): Promise<PusherFrame> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = this.frames.find(match);
      if (found) return found;
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`no such Pusher frame; got ${JSON.stringify(this.frames)}`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.#waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  events(channel: string, event: string): unknown[] {
    return this.frames
      .filter((f) => f.channel === channel && f.event === event)
      .map((f) => JSON.parse(f.data as string) as unknown);
  }

  close(): void {
    this.#socket.close(1000, "test over");
  }
}

function uniqueRoom(label: string): string {
  return `${label}-${crypto.randomUUID().slice(0, 8)}`;
}

/** The room's bridge switches as its storage holds them (what survives hibernation). */
function storedSwitches(room: string): Promise<string[]> {
  return runInDurableObject(env.Room.getByName(room), (_instance: Room, state) => {
    const made = state.storage.sql
      .exec("SELECT name FROM sqlite_master WHERE type = 'table' AND name = 'pusher_bridge'")
      .toArray();
    if (made.length === 0) return [];
    return state.storage.sql
      .exec<{ kind: string }>("SELECT kind FROM pusher_bridge ORDER BY kind")
      .toArray()
      .map((row) => row.kind);
  });
}

/** Settles once `check` holds (the room hears of the channel and back over RPC, not in one step). */
async function eventually(check: () => Promise<boolean> | boolean, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error("condition not met in time");
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe("presence-edgeroom-<room>", () => {
  it("lists the room's people as members beside its Pusher subscribers, and follows them", async () => {
    const room = uniqueRoom("bridge-members");
    const channel = `presence-edgeroom-${room}`;
    await connect(room, { user: ada, person: ADA });
    const pusher = await PusherSocket.open();
    await pusher.subscribe(channel, { userId: "pusher-watcher" });

    const adaMember = { user_id: publicPersonId(ADA), user_info: ada };
    await pusher.next(
      (f) =>
        f.event === "pusher_internal:member_added" &&
        JSON.stringify(JSON.parse(f.data as string)) === JSON.stringify(adaMember),
    );

    const second = await connect(room, { user: bob, person: BOB });
    await pusher.next(
      (f) => f.event === "pusher_internal:member_added" && (f.data as string).includes(publicPersonId(BOB)),
    );
    expect(pusher.events(channel, "pusher_internal:member_added")).toContainEqual({
      user_id: publicPersonId(BOB),
      user_info: bob,
    });

    // A late subscriber sees everyone in its subscription_succeeded.
    const late = await PusherSocket.open();
    const succeeded = await late.subscribe(channel, { userId: "pusher-late" });
    const presence = (
      JSON.parse(succeeded.data as string) as { presence: { ids: string[]; hash: Record<string, unknown> } }
    ).presence;
    expect(presence.ids.sort()).toEqual(
      [publicPersonId(ADA), publicPersonId(BOB), "pusher-late", "pusher-watcher"].sort(),
    );
    expect(presence.hash[publicPersonId(ADA)]).toEqual(ada);

    await second.close();
    const removed = await pusher.next((f) => f.event === "pusher_internal:member_removed");
    expect(JSON.parse(removed.data as string)).toEqual({ user_id: publicPersonId(BOB) });
    pusher.close();
    late.close();
  });
});

describe("private-edgeroom-<room>", () => {
  it("carries chat messages once stored and custom events, and nothing Pusher clients send goes back", async () => {
    const room = uniqueRoom("bridge-events");
    const channel = `private-edgeroom-${room}`;
    const person = await connect(room, { user: ada, person: ADA });
    const pusher = await PusherSocket.open();
    const subscribed = await pusher.subscribe(channel);
    expect(subscribed.event).toBe("pusher_internal:subscription_succeeded");
    await eventually(async () => (await storedSwitches(room)).includes("private"));

    const stored = await person.chat("chat-bridge-1", "hello, Pusher");
    const chat = await pusher.next((f) => f.event === "chat-message");
    expect(chat.channel).toBe(channel);
    expect(JSON.parse(chat.data as string)).toEqual(stored);

    person.sendApp({ type: "event-send", event: { type: "poll:vote", data: { choice: 2 } } });
    const custom = await pusher.next((f) => f.event === "custom-event");
    expect(JSON.parse(custom.data as string)).toMatchObject({
      type: "poll:vote",
      data: { choice: 2 },
      from: { kind: "socket", person: publicPersonId(ADA), user: ada },
    });

    // A client event on the bridged channel reaches the channel's other Pusher subscribers, never the room.
    const listener = await PusherSocket.open();
    await listener.subscribe(channel);
    pusher.trigger(channel, "client-into-the-room", { text: "let me in" });
    await listener.next((f) => f.event === "client-into-the-room");
    await person.chat("chat-bridge-4", "after the client event");
    expect(person.app.filter((m) => m.type === "event" || m.type === "chat-message")).toEqual([]);
    pusher.close();
    listener.close();
  });

  it("turns off when the channel is vacated, and on again with the next subscriber", async () => {
    const room = uniqueRoom("bridge-off");
    const channel = `private-edgeroom-${room}`;
    const person = await connect(room, { user: ada, person: ADA });
    const first = await PusherSocket.open();
    await first.subscribe(channel);
    await eventually(async () => (await storedSwitches(room)).includes("private"));

    first.unsubscribe(channel);
    await eventually(async () => (await storedSwitches(room)).length === 0);

    const second = await PusherSocket.open();
    await second.subscribe(channel);
    await eventually(async () => (await storedSwitches(room)).includes("private"));
    await person.chat("chat-bridge-2", "back on");
    const chat = await second.next((f) => f.event === "chat-message");
    expect(JSON.parse(chat.data as string)).toMatchObject({ text: "back on" });
    first.close();
    second.close();
  });
});

describe("what the bridge refuses", () => {
  it("never addresses a room for a channel whose room name is not one", async () => {
    const name = "not.a.room";
    const pusher = await PusherSocket.open();
    const answer = await pusher.subscribe(`private-edgeroom-${name}`);
    expect(answer.event).toBe("pusher:subscription_error");
    const id = env.Room.idFromName(name).toString();
    expect((await listDurableObjectIds(env.Room)).map(String)).not.toContain(id);
    pusher.close();
  });

  it("gives a subscriber without the app's signature nothing of the room", async () => {
    const room = uniqueRoom("bridge-unsigned");
    const person = await connect(room, { user: ada, person: ADA });
    const pusher = await PusherSocket.open();
    const other = await PusherSocket.open();
    const forged = `${TEST_PUSHER_APP.key}:${await hmacSha256Hex("not-the-secret", `${pusher.socketId}:private-edgeroom-${room}`)}`;
    // A signature made for another connection's socket id does not carry over either.
    const borrowed = `${TEST_PUSHER_APP.key}:${await hmacSha256Hex(TEST_PUSHER_APP.secret, `${other.socketId}:private-edgeroom-${room}`)}`;
    expect((await pusher.subscribe(`private-edgeroom-${room}`, { auth: forged })).event).toBe(
      "pusher:subscription_error",
    );
    pusher.frames.length = 0;
    expect((await pusher.subscribe(`private-edgeroom-${room}`, { auth: borrowed })).event).toBe(
      "pusher:subscription_error",
    );
    pusher.frames.length = 0;
    expect(
      (await pusher.subscribe(`presence-edgeroom-${room}`, { userId: "intruder", auth: forged })).event,
    ).toBe("pusher:subscription_error");

    await person.chat("chat-bridge-3", "not for intruders");
    // The room was never told of a subscriber: its bridge stayed off.
    expect(await storedSwitches(room)).toEqual([]);
    expect(pusher.frames.filter((f) => f.event === "chat-message" || f.event.includes("member"))).toEqual([]);
    pusher.close();
    other.close();
  });

  it("bridges a room only to its own two channels", async () => {
    const room = uniqueRoom("bridge-rpc");
    await env.Room.getByName(room).pusherBridge(`private-edgeroom-${room}-other`, true);
    await env.Room.getByName(room).pusherBridge("private-chat", true);
    expect(await storedSwitches(room)).toEqual([]);
    await env.Room.getByName(room).pusherBridge(`private-edgeroom-${room}`, true);
    expect(await storedSwitches(room)).toEqual(["private"]);
    await env.Room.getByName(room).pusherBridge(`private-edgeroom-${room}`, false);
    expect(await storedSwitches(room)).toEqual([]);
  });
});
