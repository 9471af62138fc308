/**
 * Pusher-format webhooks end to end, with no browser page: a `wrangler dev`
 * of its own whose PUSHER_WEBHOOK_URL points at a receiver this test runs,
 * channels driven by pusher-js (Node build) clients. Every request must pass
 * the `pusher` SDK's `webhook({ headers, rawBody }).isValid()`.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type { PusherWebhookEvent } from "@edgeroom/shared/pusher";
import type Pusher from "pusher-js";
import {
  connected,
  createPusherClient,
  type PusherAuthEndpoint,
  type PusherClientOptions,
  pusherServerSdk,
  startPusherAuthEndpoint,
  subscribed,
  uniqueChannelPrefix,
} from "../support/pusher.ts";
import { freshStateDir, startServer, type RunningServer } from "../support/server.ts";
import { SPARE_PORT_BASE } from "../support/shared-server.ts";
import { expect, test } from "../support/test.ts";

const SERVER_PORT = SPARE_PORT_BASE + 30;

/** One request as the receiver saw it. */
interface Received {
  contentType: string | undefined;
  valid: boolean;
  timeMs: number;
  events: PusherWebhookEvent[];
  answered: number;
}

/** A webhook receiver on 127.0.0.1 that checks each request with the SDK and answers 200, or 503 while down. */
class Receiver {
  readonly requests: Received[] = [];
  down = false;
  #verifier = pusherServerSdk(0);
  readonly #server: Server = createServer((request, response) => void this.#receive(request, response));

  async start(port: number): Promise<string> {
    this.#verifier = pusherServerSdk(port);
    await new Promise<void>((resolve) => this.#server.listen(0, "127.0.0.1", resolve));
    return `http://127.0.0.1:${(this.#server.address() as AddressInfo).port}/pusher-webhooks`;
  }

  async stop(): Promise<void> {
    this.#server.closeAllConnections();
    await new Promise<void>((resolve) => this.#server.close(() => resolve()));
  }

  /** The events about `channel` the receiver took (answered 200), in arrival order. */
  delivered(channel: string): PusherWebhookEvent[] {
    return this.requests
      .filter((request) => request.answered === 200)
      .flatMap((request) => request.events)
      .filter((event) => event.channel === channel);
  }

  async #receive(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const rawBody = Buffer.concat(chunks).toString("utf8");
    const headers = Object.fromEntries(
      Object.entries(request.headers).map(([name, value]) => [name, String(value)]),
    );
    const webhook = this.#verifier.webhook({ headers, rawBody });
    const valid = webhook.isValid();
    const answered = !valid ? 401 : this.down ? 503 : 200;
    this.requests.push({
      contentType: headers["content-type"],
      valid,
      timeMs: valid ? webhook.getTime().getTime() : 0,
      events: valid ? (webhook.getEvents() as PusherWebhookEvent[]) : [],
      answered,
    });
    response.writeHead(answered).end();
  }
}

let receiver: Receiver;
let server: RunningServer;
let auth: PusherAuthEndpoint;
const clients: Pusher[] = [];

test.beforeAll(async () => {
  test.setTimeout(120_000);
  receiver = new Receiver();
  const url = await receiver.start(SERVER_PORT);
  auth = await startPusherAuthEndpoint();
  server = await startServer({
    port: SERVER_PORT,
    persistDir: freshStateDir("pusher-webhooks"),
    vars: { PUSHER_WEBHOOK_URL: url },
  });
});

test.afterAll(async () => {
  await server?.stop();
  await receiver?.stop();
  await auth?.close();
});

test.afterEach(() => {
  for (const client of clients.splice(0)) client.disconnect();
  receiver.down = false;
});

async function client(options: Omit<PusherClientOptions, "port" | "auth"> = {}): Promise<Pusher> {
  const pusher = createPusherClient({ port: SERVER_PORT, auth, ...options });
  clients.push(pusher);
  await connected(pusher);
  return pusher;
}

const names = (events: PusherWebhookEvent[]) => events.map((event) => event.name);

test("presence: occupied, members, client events and vacated arrive signed, batched and in order", async () => {
  const channel = `presence-${uniqueChannelPrefix("hooks")}`;
  const ada = await client({ user: "ada" });
  const adaChannel = (await subscribed(ada, channel)).channel;
  const bob = await client({ user: "bob" });
  const bobChannel = (await subscribed(bob, channel)).channel;
  const received = new Promise((resolve) => adaChannel.bind("client-wave", resolve));
  bobChannel.trigger("client-wave", { from: "bob" });
  await received;
  const bobSocket = bob.connection.socket_id;
  bob.disconnect();
  await expect
    .poll(() => names(receiver.delivered(channel)), { timeout: 15_000 })
    .toContain("member_removed");
  ada.disconnect();
  await expect
    .poll(() => names(receiver.delivered(channel)), { timeout: 15_000 })
    .toContain("channel_vacated");

  expect(receiver.delivered(channel)).toEqual([
    { name: "channel_occupied", channel },
    { name: "member_added", channel, user_id: "ada" },
    { name: "member_added", channel, user_id: "bob" },
    {
      name: "client_event",
      channel,
      event: "client-wave",
      data: JSON.stringify({ from: "bob" }),
      socket_id: bobSocket,
      user_id: "bob",
    },
    { name: "member_removed", channel, user_id: "bob" },
    { name: "member_removed", channel, user_id: "ada" },
    { name: "channel_vacated", channel },
  ]);
  const requests = receiver.requests.filter((request) =>
    request.events.some((event) => event.channel === channel),
  );
  for (const request of requests) {
    expect(request.valid).toBe(true);
    expect(request.contentType).toBe("application/json");
    expect(Math.abs(request.timeMs - Date.now())).toBeLessThan(60_000);
  }
  // Batched: the first events of the channel came together, not one request each.
  expect(requests.length).toBeLessThan(receiver.delivered(channel).length);
});

test("private channels: client events carry the sender's socket id and no user id", async () => {
  const channel = `private-${uniqueChannelPrefix("hooks")}`;
  const [ada, bob] = await Promise.all([client(), client()]);
  const adaChannel = (await subscribed(ada, channel)).channel;
  const bobChannel = (await subscribed(bob, channel)).channel;
  const received = new Promise((resolve) => adaChannel.bind("client-note", resolve));
  bobChannel.trigger("client-note", "plain words");
  await received;
  await expect.poll(() => names(receiver.delivered(channel)), { timeout: 15_000 }).toContain("client_event");
  const event = receiver.delivered(channel).find((e) => e.name === "client_event");
  expect(event).toEqual({
    name: "client_event",
    channel,
    event: "client-note",
    data: "plain words",
    socket_id: bob.connection.socket_id,
  });
  expect(names(receiver.delivered(channel))[0]).toBe("channel_occupied");
});

test("a receiver that is down gets the events later, in order", async () => {
  test.setTimeout(60_000);
  const channel = uniqueChannelPrefix("hooks-down");
  receiver.down = true;
  const ada = await client();
  await subscribed(ada, channel);
  await expect
    .poll(
      () => receiver.requests.some((r) => r.answered === 503 && r.events.some((e) => e.channel === channel)),
      {
        timeout: 15_000,
      },
    )
    .toBe(true);
  ada.disconnect();
  receiver.down = false;
  // The retry comes after the back-off (5 s, then doubling).
  await expect
    .poll(() => names(receiver.delivered(channel)), { timeout: 40_000, intervals: [500] })
    .toEqual(["channel_occupied", "channel_vacated"]);
});

test("the HTTP API lists the channels the webhooks call occupied", async () => {
  const channel = uniqueChannelPrefix("hooks-listed");
  const sdk = pusherServerSdk(SERVER_PORT);
  const ada = await client();
  await subscribed(ada, channel);
  await expect
    .poll(() => names(receiver.delivered(channel)), { timeout: 15_000 })
    .toEqual(["channel_occupied"]);
  const listing = async () =>
    (await sdk.get({ path: "/channels", params: { filter_by_prefix: channel } })).json() as Promise<unknown>;
  await expect.poll(listing).toEqual({ channels: { [channel]: {} } });
  ada.disconnect();
  await expect.poll(listing).toEqual({ channels: {} });
});
