/**
 * Laravel Echo 2.5, unmodified, with its Pusher connector in Node: Echo is
 * given a pusher-js client (its Node build) made for the shared `wrangler
 * dev`, listens on a public, a private and a presence channel as a Laravel
 * app's front end does, and receives what the `pusher` server SDK triggers
 * (as Laravel's Pusher broadcaster does, through the HTTP API).
 */
import { TEST_PUSHER_APP } from "@edgeroom/testkit";
import { openClient, roomSocketUrl } from "@edgeroom/testkit/node";
import Echo from "laravel-echo";
import Pusher from "pusher-js";
import { type FormEndpoint, pusherServerSdk, startFormEndpoint } from "../support/pusher.ts";
import { uniqueRoom } from "../support/room.ts";
import { SHARED_PORT, SHARED_URL } from "../support/shared-server.ts";
import { expect, test } from "../support/test.ts";

const sdk = pusherServerSdk(SHARED_PORT);

let auth: FormEndpoint;
// Laravel's `/broadcasting/auth`, played with the SDK: every subscription signed, as user 7.
test.beforeAll(async () => {
  auth = await startFormEndpoint((_path, _query, form) => {
    const socketId = form.get("socket_id") ?? "";
    const channel = form.get("channel_name") ?? "";
    const body = channel.startsWith("presence-")
      ? sdk.authorizeChannel(socketId, channel, { user_id: "7", user_info: { name: "Taylor" } })
      : sdk.authorizeChannel(socketId, channel);
    return { status: 200, body };
  });
});
test.afterAll(() => auth.close());

function echoClient(): Echo<"pusher"> {
  const client = new Pusher(TEST_PUSHER_APP.key, {
    cluster: "local",
    wsHost: "127.0.0.1",
    wsPort: SHARED_PORT,
    forceTLS: false,
    enabledTransports: ["ws"],
    channelAuthorization: { endpoint: `${auth.url}/broadcasting/auth`, transport: "ajax" },
  });
  return new Echo({ broadcaster: "pusher", key: TEST_PUSHER_APP.key, client });
}

/** Resolves once Echo's channel is subscribed (Echo's `subscribed`), rejects on its `error`. */
function ready(channel: { subscribed(cb: () => void): unknown; error(cb: (e: unknown) => void): unknown }) {
  return new Promise<void>((resolve, reject) => {
    channel.subscribed(() => resolve());
    channel.error((error) => reject(new Error(`subscription failed: ${JSON.stringify(error)}`)));
  });
}

test("Echo hears the SDK's events on a public and a private channel", async () => {
  const echo = echoClient();
  try {
    const name = uniqueRoom("orders");
    const shipped: unknown[] = [];
    const paid: unknown[] = [];
    // Laravel names events by class: Echo's App.Events namespace makes "OrderShipped" App\Events\OrderShipped; a leading dot takes a name as it is.
    const orders = echo.channel(name).listen("OrderShipped", (e: unknown) => shipped.push(e));
    const account = echo.private(`${name}.1`).listen(".invoice.paid", (e: unknown) => paid.push(e));
    await Promise.all([ready(orders), ready(account)]);

    await sdk.trigger(name, "App\\Events\\OrderShipped", { order: { id: 1 } });
    await sdk.trigger(`private-${name}.1`, "invoice.paid", { amount: 42 });
    await expect.poll(() => shipped).toEqual([{ order: { id: 1 } }]);
    await expect.poll(() => paid).toEqual([{ amount: 42 }]);

    // A message sent with the SDK's socket_id (Laravel's `->toOthers()`) skips that connection.
    await sdk.trigger(
      name,
      "App\\Events\\OrderShipped",
      { order: { id: 2 } },
      { socket_id: echo.socketId()! },
    );
    await sdk.trigger(name, "App\\Events\\OrderShipped", { order: { id: 3 } });
    await expect.poll(() => shipped).toHaveLength(2);
    expect(shipped[1]).toEqual({ order: { id: 3 } });
  } finally {
    echo.disconnect();
  }
});

test("Echo joins a bridged room's presence channel and sees who is in the room", async () => {
  const room = uniqueRoom("echo-room");
  const ada = { name: "Ada", color: "#c2255c" };
  const person = await openClient(roomSocketUrl(SHARED_URL, room), {
    user: ada,
    person: "ada-secret-person-id",
  });
  const echo = echoClient();
  try {
    await person.synced;
    const joining: unknown[] = [];
    let here: { id?: string; user_id?: string }[] = [];
    const channel = echo
      .join(`edgeroom-${room}`)
      .here((users: typeof here) => (here = users))
      .joining((user: unknown) => joining.push(user));
    await ready(channel);
    // The room's person may come with the subscription or just after it (the room hears of it over RPC).
    await expect.poll(() => here.length + joining.length).toBe(2);
    expect([...here, ...joining]).toContainEqual(ada);
    expect(here).toContainEqual({ name: "Taylor" });

    const chats: unknown[] = [];
    echo.private(`edgeroom-${room}`).listen(".chat-message", (message: unknown) => chats.push(message));
    await expect
      .poll(async () => {
        await person.chat(`chat-${Math.random().toString(36).slice(2, 12)}`, "hello, Echo");
        return chats;
      })
      .toContainEqual(expect.objectContaining({ text: "hello, Echo", author: ada }));
  } finally {
    echo.disconnect();
    await person.close();
  }
});
