/**
 * Edgeroom's Pusher socket with the unmodified pusher-js Node build against
 * the shared `wrangler dev` server (no page): connect, public, private and
 * presence channels signed by an auth endpoint that uses the `pusher` SDK,
 * member events, client events between two clients and their rate limit,
 * sign-in, and refusals of bad signatures.
 */
import type { PresenceChannel } from "pusher-js";
import {
  createPusherClient,
  nextEvent,
  type PusherAuthEndpoint,
  pusherClientsPerTest,
  startPusherAuthEndpoint,
  subscribed,
  uniqueChannelPrefix,
} from "../support/pusher.ts";
import { SHARED_PORT } from "../support/shared-server.ts";
import { expect, test } from "../support/test.ts";

let auth: PusherAuthEndpoint;

test.beforeAll(async () => {
  auth = await startPusherAuthEndpoint();
});
test.afterAll(async () => {
  await auth.close();
});
const client = pusherClientsPerTest(test, () => auth, SHARED_PORT);

test("connects with a Pusher socket id and the server's activity timeout", async () => {
  const pusher = await client();
  expect(pusher.connection.socket_id).toMatch(/^\d+\.\d+$/);
  expect(pusher.connection.activityTimeout).toBe(120_000);
});

test("subscribes to a public channel", async () => {
  const pusher = await client();
  const { channel } = await subscribed(pusher, `${uniqueChannelPrefix("pub")}-news`);
  expect(channel.subscribed).toBe(true);
});

test("subscribes to a private channel signed by the app's auth endpoint", async () => {
  const pusher = await client();
  const name = `private-${uniqueChannelPrefix("priv")}`;
  const { channel } = await subscribed(pusher, name);
  expect(channel.subscribed).toBe(true);
  expect(auth.signed).toContainEqual({ socketId: pusher.connection.socket_id, channel: name });
});

for (const mode of ["wrong-secret", "other-socket", "other-channel"] as const) {
  test(`refuses a private subscription signed with ${mode}`, async () => {
    const pusher = await client({ mode });
    const refusal = subscribed(pusher, `private-${uniqueChannelPrefix(mode)}`);
    await expect(refusal).rejects.toMatchObject({ detail: { type: "AuthError", status: 401 } });
  });
}

test("presence: members, member_added and member_removed, once per user", async () => {
  const name = `presence-${uniqueChannelPrefix("members")}`;
  const ada = await client({ user: "ada" });
  const adaChannel = (await subscribed(ada, name)).channel as PresenceChannel;
  expect(adaChannel.members.count).toBe(1);
  expect(adaChannel.members.me).toEqual({ id: "ada", info: { name: "ada" } });

  const added = nextEvent(adaChannel, "pusher:member_added");
  const bob = await client({ user: "bob" });
  const bobChannel = (await subscribed(bob, name)).channel as PresenceChannel;
  expect((await added).data).toEqual({ id: "bob", info: { name: "bob" } });
  expect(bobChannel.members.count).toBe(2);
  expect(bobChannel.members.get("ada")).toEqual({ id: "ada", info: { name: "ada" } });

  // Bob's second connection adds no member, and only his last leaving removes him.
  const bobAgain = await client({ user: "bob" });
  await subscribed(bobAgain, name);
  bobAgain.disconnect();
  const removed = nextEvent(adaChannel, "pusher:member_removed");
  bob.disconnect();
  expect((await removed).data).toEqual({ id: "bob", info: { name: "bob" } });
  expect(adaChannel.members.count).toBe(1);
});

test("client events go between two clients on a private channel, with user_id on presence", async () => {
  const prefix = uniqueChannelPrefix("client");
  const a = await client({ user: "ada" });
  const b = await client({ user: "bob" });
  const privateName = `private-${prefix}`;
  const aPrivate = (await subscribed(a, privateName)).channel;
  const bPrivate = (await subscribed(b, privateName)).channel;
  const got = nextEvent(bPrivate, "client-hello");
  expect(aPrivate.trigger("client-hello", { text: "hi" })).toBe(true);
  expect((await got).data).toEqual({ text: "hi" });

  const presenceName = `presence-${prefix}`;
  const aPresence = (await subscribed(a, presenceName)).channel;
  const bPresence = (await subscribed(b, presenceName)).channel;
  const typing = nextEvent(bPresence, "client-typing");
  aPresence.trigger("client-typing", { on: true });
  expect(await typing).toEqual({ data: { on: true }, metadata: { user_id: "ada" } });
});

test("client events over 10 per second are dropped with pusher:error 4301", async () => {
  const name = `private-${uniqueChannelPrefix("rate")}`;
  const a = await client();
  const b = await client();
  const aChannel = (await subscribed(a, name)).channel;
  const bChannel = (await subscribed(b, name)).channel;
  const received: unknown[] = [];
  bChannel.bind("client-burst", (data: unknown) => received.push(data));
  const errors: Array<{ data?: { code?: number } }> = [];
  a.connection.bind("error", (error: { data?: { code?: number } }) => errors.push(error));
  for (let i = 0; i < 30; i++) aChannel.trigger("client-burst", { i });
  await expect.poll(() => errors.some((error) => error.data?.code === 4301)).toBe(true);
  // A marker after the burst, once the bucket has refilled, shows everything before it has arrived.
  await new Promise((resolve) => setTimeout(resolve, 1100));
  const marker = nextEvent(bChannel, "client-marker");
  aChannel.trigger("client-marker", {});
  await marker;
  expect(received.length).toBeGreaterThanOrEqual(10);
  expect(received.length).toBeLessThan(30);
  expect(a.connection.state).toBe("connected");
});

test("signs in and gets the user's own channel; a forged sign-in is refused", async () => {
  const pusher = await client({ user: "signin-ada" });
  const signedIn = new Promise<void>((resolve) =>
    pusher.connection.bind("message", (event: { event: string }) => {
      if (event.event === "pusher:signin_success") resolve();
    }),
  );
  pusher.signin();
  await signedIn;
  await expect.poll(() => pusher.user.serverToUserChannel?.subscribed ?? false).toBe(true);
  expect(pusher.user.serverToUserChannel?.name).toBe("#server-to-user-signin-ada");

  const forger = await client({ user: "signin-ada", mode: "wrong-secret" });
  const refused = new Promise<{ data?: { message?: string } }>((resolve) =>
    forger.connection.bind("error", resolve),
  );
  forger.signin();
  expect((await refused).data?.message).toMatch(/Sign-in refused/);
  expect(forger.user.user_data).toBeNull();
});

test("a socket for an unknown app key is refused with 4001 and not retried", async () => {
  const pusher = createPusherClient({ port: SHARED_PORT, auth, key: "no-such-key" });
  const errors: unknown[] = [];
  pusher.connection.bind("error", (error: unknown) => errors.push(error));
  // pusher-js takes 4000–4099 as "refused": it disconnects and does not try again.
  await expect.poll(() => pusher.connection.state).toBe("disconnected");
  expect(errors).toContainEqual(
    expect.objectContaining({
      error: expect.objectContaining({ data: expect.objectContaining({ code: 4001 }) }),
    }),
  );
  await new Promise((resolve) => setTimeout(resolve, 1500));
  expect(pusher.connection.state).toBe("disconnected");
  pusher.disconnect();
});
