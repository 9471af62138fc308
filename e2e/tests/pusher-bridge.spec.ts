/**
 * The bridge between Edgeroom rooms and Pusher channels, end to end with no
 * browser page: the unmodified pusher-js (its Node build) subscribes to
 * `presence-edgeroom-<room>` and `private-edgeroom-<room>` on the shared
 * `wrangler dev`, signed by an auth endpoint this test runs with the `pusher`
 * SDK, while headless Edgeroom clients and the HTTP API act in the room.
 */
import { publicPersonId } from "@edgeroom/shared";
import { TEST_PUSHER_APP, type HeadlessClient } from "@edgeroom/testkit";
import { openClient, roomSocketUrl } from "@edgeroom/testkit/node";
import Pusher, { type Channel, type PresenceChannel } from "pusher-js";
import { api } from "../support/api.ts";
import { type FormAnswer, type FormEndpoint, pusherServerSdk, startFormEndpoint } from "../support/pusher.ts";
import { uniqueRoom } from "../support/room.ts";
import { SHARED_PORT, SHARED_URL } from "../support/shared-server.ts";
import { expect, test } from "../support/test.ts";

const ada = { name: "Ada", color: "#c2255c" };
const bob = { name: "Bob", color: "#1971c2" };
const ADA = "ada-secret-person-id";
const BOB = "bob-secret-person-id";

/** Rooms whose channels the host's auth endpoint refuses (403), as a backend does for rooms the user may not read. */
const refused = new Set<string>();
const signer = pusherServerSdk(SHARED_PORT);
const forger = pusherServerSdk(SHARED_PORT, "not-the-app-secret");
let endpoint: FormEndpoint;

/**
 * The host's auth endpoint: signs every subscription with the app's secret
 * (or, for `forge`, another), as the user the client names, except channels
 * of rooms in `refused`.
 */
function authorize(form: URLSearchParams): FormAnswer {
  const socketId = form.get("socket_id") ?? "";
  const channel = form.get("channel_name") ?? "";
  if ([...refused].some((room) => channel.endsWith(`-edgeroom-${room}`)))
    return { status: 403, body: "not your room" };
  const sdk = form.get("forge") === "yes" ? forger : signer;
  const user = form.get("user") ?? "pusher-user";
  const body = channel.startsWith("presence-")
    ? sdk.authorizeChannel(socketId, channel, { user_id: user, user_info: { name: user } })
    : sdk.authorizeChannel(socketId, channel);
  return { status: 200, body };
}

const opened: Pusher[] = [];
const people: HeadlessClient[] = [];

test.beforeAll(async () => {
  endpoint = await startFormEndpoint((_path, _query, form) => authorize(form));
});
test.afterAll(() => endpoint.close());
test.afterEach(async () => {
  for (const client of opened.splice(0)) client.disconnect();
  await Promise.all(people.splice(0).map((person) => person.close()));
});

function pusherClient(params: Record<string, string> = {}): Pusher {
  const client = new Pusher(TEST_PUSHER_APP.key, {
    cluster: "local",
    wsHost: "127.0.0.1",
    wsPort: SHARED_PORT,
    forceTLS: false,
    enabledTransports: ["ws"],
    disableStats: true,
    channelAuthorization: { endpoint: endpoint.url, transport: "ajax", params },
  });
  opened.push(client);
  return client;
}

/** Resolves with the channel once subscribed; rejects with the subscription error's status. */
function subscribed<C extends Channel>(channel: C): Promise<C> {
  return new Promise((resolve, reject) => {
    channel.bind("pusher:subscription_succeeded", () => resolve(channel));
    channel.bind("pusher:subscription_error", (error: { status?: number }) =>
      reject(new Error(`subscription refused: ${error.status ?? "?"}`)),
    );
  });
}

async function person(room: string, user: typeof ada, secret: string): Promise<HeadlessClient> {
  const client = await openClient(roomSocketUrl(SHARED_URL, room), { user, person: secret });
  await client.synced;
  people.push(client);
  return client;
}

function chatId(): string {
  return `chat-${Math.random().toString(36).slice(2, 12)}`;
}

/**
 * Waits until the room publishes to the private channel (it hears of the
 * subscriber over RPC, so a first message may race that), then empties `chats`.
 */
async function bridgeOn(speaker: HeadlessClient, chats: unknown[]): Promise<void> {
  await expect
    .poll(async () => {
      await speaker.chat(chatId(), "warming up");
      return chats.length;
    })
    .toBeGreaterThan(0);
  // Published in order: once this one is here, every earlier one is too.
  const marker = await speaker.chat(chatId(), "marker");
  await expect.poll(() => (chats.at(-1) as { id?: string } | undefined)?.id).toBe(marker.id);
  chats.length = 0;
}

function memberIds(channel: PresenceChannel): string[] {
  const ids: string[] = [];
  channel.members.each((member: { id: string }) => ids.push(member.id));
  return ids.sort();
}

test("the room's people are members of presence-edgeroom-<room>, beside Pusher's own", async () => {
  const room = uniqueRoom("pusher-members");
  await person(room, ada, ADA);
  const watcher = pusherClient({ user: "watcher" });
  const channel = watcher.subscribe(`presence-edgeroom-${room}`) as PresenceChannel;
  const added: unknown[] = [];
  const removed: string[] = [];
  channel.bind("pusher:member_added", (member: { id: string; info: unknown }) => added.push(member));
  channel.bind("pusher:member_removed", (member: { id: string }) => removed.push(member.id));
  await subscribed(channel);

  // The room hears of the channel over RPC, so its people may come with subscription_succeeded or just after it.
  await expect.poll(() => memberIds(channel)).toEqual([publicPersonId(ADA), "watcher"].sort());
  expect(channel.members.get(publicPersonId(ADA))).toEqual({ id: publicPersonId(ADA), info: ada });
  expect(channel.members.me).toEqual({ id: "watcher", info: { name: "watcher" } });
  added.length = 0;
  const second = await person(room, bob, BOB);
  await expect.poll(() => added).toEqual([{ id: publicPersonId(BOB), info: bob }]);
  expect(channel.members.count).toBe(3);

  await second.close();
  await expect.poll(() => removed).toEqual([publicPersonId(BOB)]);
  expect(memberIds(channel)).toEqual([publicPersonId(ADA), "watcher"].sort());
});

test("chat messages and custom events arrive on private-edgeroom-<room>", async () => {
  const room = uniqueRoom("pusher-events");
  const speaker = await person(room, ada, ADA);
  const channel = await subscribed(pusherClient().subscribe(`private-edgeroom-${room}`));
  const chats: unknown[] = [];
  const events: unknown[] = [];
  channel.bind("chat-message", (data: unknown) => chats.push(data));
  channel.bind("custom-event", (data: unknown) => events.push(data));

  await bridgeOn(speaker, chats);
  const stored = await speaker.chat("chat-pusher-01", "hello from the room");
  await expect.poll(() => chats).toEqual([stored]);

  speaker.sendApp({ type: "event-send", event: { type: "poll:vote", data: { choice: 2 } } });
  await expect.poll(() => events).toHaveLength(1);
  expect(events[0]).toMatchObject({
    type: "poll:vote",
    data: { choice: 2 },
    from: { kind: "socket", user: ada },
  });

  // The host's backend, through the HTTP API: a bot's chat message and a server event.
  const posted = await api(SHARED_URL, `/rooms/${room}/chat`, {
    json: { id: "chat-pusher-02", text: "deployed", author: { id: "bot-00000001", name: "Deploys" } },
  });
  expect(posted.status).toBeLessThan(300);
  const sent = await api(SHARED_URL, `/rooms/${room}/events`, { json: { type: "deploy:done" } });
  expect(sent.status).toBeLessThan(300);
  await expect.poll(() => chats).toHaveLength(2);
  expect(chats[1]).toMatchObject({ text: "deployed", author: { name: "Deploys", bot: "bot-00000001" } });
  await expect.poll(() => events).toHaveLength(2);
  expect(events[1]).toEqual({ type: "deploy:done", from: { kind: "server" } });
});

test("without the app's signature a Pusher client gets nothing of the room", async () => {
  const room = uniqueRoom("pusher-refused");
  const speaker = await person(room, ada, ADA);

  // A signature made with another secret is refused by the server itself.
  const forger = pusherClient({ forge: "yes", user: "forger" });
  await expect(subscribed(forger.subscribe(`private-edgeroom-${room}`))).rejects.toThrow(/refused/);
  await expect(subscribed(forger.subscribe(`presence-edgeroom-${room}`))).rejects.toThrow(/refused/);

  // The host's backend decides who may follow a room: here it refuses, and pusher-js reports its 403.
  refused.add(room);
  const outsider = pusherClient({ user: "outsider" });
  await expect(subscribed(outsider.subscribe(`private-edgeroom-${room}`))).rejects.toThrow(/403/);

  const heard: string[] = [];
  for (const client of [forger, outsider]) client.bind_global((event: string) => heard.push(event));
  await speaker.chat("chat-pusher-03", "nobody outside hears this");
  // A subscriber that did get in hears it; the refused ones still hear nothing.
  refused.delete(room);
  const insider = await subscribed(pusherClient().subscribe(`private-edgeroom-${room}`));
  const received: unknown[] = [];
  insider.bind("chat-message", (data: unknown) => received.push(data));
  await bridgeOn(speaker, received);
  expect(heard.filter((event) => !event.startsWith("pusher:"))).toEqual([]);
});

test("a channel whose room name is not one is refused", async () => {
  const client = pusherClient();
  await expect(subscribed(client.subscribe("private-edgeroom-not.a.room"))).rejects.toThrow(/refused/);
});
