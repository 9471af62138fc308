/**
 * The Pusher HTTP API with the unmodified `pusher` server SDK against the
 * shared `wrangler dev` server, with pusher-js (Node build) clients on the
 * other end: trigger (one channel, many, leaving out a socket), triggerBatch,
 * channel queries (list, one channel, presence users), sendToUser and
 * terminateUserConnections; and the SDK's requests refused when signed with
 * another secret or key, for another app, or replayed too late.
 */
import PusherServer from "pusher";
import type { Channel } from "pusher-js";
import {
  nextEvent,
  type PusherAuthEndpoint,
  pusherClientsPerTest,
  pusherServerSdk,
  startPusherAuthEndpoint,
  subscribed,
  TEST_PUSHER_APP,
  uniqueChannelPrefix,
} from "../support/pusher.ts";
import { SHARED_PORT } from "../support/shared-server.ts";
import { expect, test } from "../support/test.ts";

const sdk = pusherServerSdk(SHARED_PORT);
let auth: PusherAuthEndpoint;

test.beforeAll(async () => {
  auth = await startPusherAuthEndpoint();
});
test.afterAll(async () => {
  await auth.close();
});
const client = pusherClientsPerTest(test, () => auth, SHARED_PORT);

/** Every event `name` that reaches `channel`, in order. */
function collect(channel: Channel, name: string): unknown[] {
  const seen: unknown[] = [];
  channel.bind(name, (data: unknown) => seen.push(data));
  return seen;
}

/** What the SDK's calls resolve to (node-fetch's Response). */
interface SdkResponse {
  status: number;
  json(): Promise<unknown>;
}

/** The JSON answer of an SDK call. */
async function json(response: Promise<SdkResponse>): Promise<unknown> {
  const answered = await response;
  expect(answered.status).toBe(200);
  return answered.json();
}

/** An SDK call's refusal: its status and the server's text reason. */
async function refusal(
  call: Promise<unknown>,
): Promise<{ status: number | undefined; body: string | undefined }> {
  try {
    await call;
  } catch (error) {
    const { status, body } = error as PusherServer.RequestError;
    return { status, body };
  }
  throw new Error("the call was not refused");
}

test("trigger reaches every subscriber of each channel, and socket_id leaves that socket out", async () => {
  const prefix = uniqueChannelPrefix("trigger");
  const [ada, bob] = await Promise.all([client(), client()]);
  const adaNews = (await subscribed(ada, `${prefix}-news`)).channel;
  const bobNews = (await subscribed(bob, `${prefix}-news`)).channel;
  const bobOther = (await subscribed(bob, `${prefix}-other`)).channel;
  const adaSeen = collect(adaNews, "update");
  const bobSeen = collect(bobNews, "update");
  const otherSeen = collect(bobOther, "update");

  const arrived = nextEvent(bobOther, "update");
  expect(await json(sdk.trigger([`${prefix}-news`, `${prefix}-other`], "update", { n: 1 }))).toEqual({});
  await arrived;
  // socket_id names the socket that caused the event (as an app passes its sender's): it is left out.
  await sdk.trigger(`${prefix}-news`, "update", { n: 2 }, { socket_id: bob.connection.socket_id });
  await sdk.trigger(`${prefix}-news`, "update", { n: 3 }, { socket_id: ada.connection.socket_id });
  await sdk.trigger(`${prefix}-news`, "update", { n: 4 });
  await expect.poll(() => adaSeen.length).toBe(3);
  expect(adaSeen).toEqual([{ n: 1 }, { n: 2 }, { n: 4 }]);
  await expect.poll(() => bobSeen.length).toBe(3);
  expect(bobSeen).toEqual([{ n: 1 }, { n: 3 }, { n: 4 }]);
  expect(otherSeen).toEqual([{ n: 1 }]);
});

test("trigger with info answers each channel's counts", async () => {
  const prefix = uniqueChannelPrefix("trigger-info");
  const presence = `presence-${prefix}`;
  const [ada, bob] = await Promise.all([client({ user: "ada" }), client({ user: "bob" })]);
  await subscribed(ada, presence);
  await subscribed(bob, presence);
  await subscribed(ada, `${prefix}-public`);
  const answer = await json(
    sdk.trigger([presence, `${prefix}-public`], "hello", "plain text", {
      info: "subscription_count,user_count",
    }),
  );
  expect(answer).toEqual({
    channels: {
      [presence]: { subscription_count: 2, user_count: 2 },
      [`${prefix}-public`]: { subscription_count: 1 },
    },
  });
});

test("triggerBatch delivers every event, in order per channel", async () => {
  const prefix = uniqueChannelPrefix("batch");
  const ada = await client();
  const one = (await subscribed(ada, `${prefix}-one`)).channel;
  const two = (await subscribed(ada, `${prefix}-two`)).channel;
  const oneSeen = collect(one, "step");
  const twoSeen = collect(two, "step");
  const answer = await json(
    sdk.triggerBatch([
      { channel: `${prefix}-one`, name: "step", data: { n: 1 } },
      { channel: `${prefix}-two`, name: "step", data: { n: 2 } },
      { channel: `${prefix}-one`, name: "step", data: "three" },
      { channel: `${prefix}-one`, name: "step", data: { n: 4 }, info: "subscription_count" },
    ]),
  );
  expect(answer).toEqual({ batch: [{}, {}, {}, { subscription_count: 1 }] });
  await expect.poll(() => oneSeen.length).toBe(3);
  expect(oneSeen).toEqual([{ n: 1 }, "three", { n: 4 }]);
  expect(twoSeen).toEqual([{ n: 2 }]);
});

test("channel queries: occupied channels by prefix, one channel's counts, a presence channel's users", async () => {
  const prefix = uniqueChannelPrefix("query");
  const presence = `presence-${prefix}`;
  const [ada, bob] = await Promise.all([client({ user: "ada" }), client({ user: "bob" })]);
  await subscribed(ada, presence);
  await subscribed(bob, presence);
  await subscribed(ada, `${prefix}-public`);
  // A second connection as the same user is one user and two subscriptions.
  const ada2 = await client({ user: "ada" });
  await subscribed(ada2, presence);

  const listing = () => json(sdk.get({ path: "/channels", params: { filter_by_prefix: "presence-query" } }));
  await expect.poll(listing).toMatchObject({ channels: { [presence]: {} } });
  expect(
    await json(sdk.get({ path: "/channels", params: { filter_by_prefix: presence, info: "user_count" } })),
  ).toEqual({ channels: { [presence]: { user_count: 2 } } });
  expect(
    await json(sdk.get({ path: `/channels/${presence}`, params: { info: "subscription_count,user_count" } })),
  ).toEqual({ occupied: true, subscription_count: 3, user_count: 2 });
  expect(
    await json(sdk.get({ path: `/channels/${prefix}-public`, params: { info: "subscription_count" } })),
  ).toEqual({ occupied: true, subscription_count: 1 });
  expect(await json(sdk.get({ path: `/channels/${prefix}-nobody` }))).toEqual({ occupied: false });
  const users = (await json(sdk.get({ path: `/channels/${presence}/users` }))) as {
    users: Array<{ id: string }>;
  };
  expect(users.users.map((user) => user.id).sort()).toEqual(["ada", "bob"]);

  // Everyone leaves: the channel is no longer listed.
  for (const pusher of [ada, ada2, bob]) pusher.disconnect();
  await expect.poll(listing).toEqual({ channels: {} });
  expect(await json(sdk.get({ path: `/channels/${presence}`, params: { info: "user_count" } }))).toEqual({
    occupied: false,
    user_count: 0,
  });
});

test("sendToUser reaches the user's signed-in connections; terminateUserConnections closes them with 4009", async () => {
  const user = uniqueChannelPrefix("user");
  const ada = await client({ user });
  const adaElsewhere = await client({ user });
  const bystander = await client({ user: `${user}-other` });
  const signedIn = [ada, adaElsewhere, bystander];
  for (const pusher of signedIn) pusher.signin();
  // pusher-js subscribes to #server-to-user-<id> once signed in; wait until all three hold it.
  await expect
    .poll(() => signedIn.every((pusher) => pusher.user.serverToUserChannel?.subscribed === true))
    .toBe(true);

  const notes: unknown[] = [];
  ada.user.bind("note", (data: unknown) => notes.push(data));
  adaElsewhere.user.bind("note", (data: unknown) => notes.push(data));
  expect(await json(sdk.sendToUser(user, "note", { hi: user }))).toEqual({});
  await expect.poll(() => notes).toEqual([{ hi: user }, { hi: user }]);

  const closes = signedIn.map(
    (pusher) =>
      new Promise<unknown>((resolve) => pusher.connection.bind("error", (error: unknown) => resolve(error))),
  );
  expect(await json(sdk.terminateUserConnections(user))).toEqual({});
  await expect
    .poll(() => [ada, adaElsewhere].map((pusher) => pusher.connection.state))
    .toEqual(["disconnected", "disconnected"]);
  for (const close of closes.slice(0, 2))
    expect(await close).toMatchObject({ type: "PusherError", data: { code: 4009 } });
  // Another user's connection stays.
  expect(bystander.connection.state).toBe("connected");
});

test("the SDK's calls are refused when signed with another secret or key, or for another app", async () => {
  const channel = uniqueChannelPrefix("refused");
  const wrongSecret = pusherServerSdk(SHARED_PORT, "not-the-apps-secret");
  const forged = await refusal(wrongSecret.trigger(channel, "e", {}));
  expect(forged.status).toBe(401);
  expect(forged.body).toMatch(/^Invalid signature/);

  const common = { host: "127.0.0.1", port: String(SHARED_PORT), useTLS: false };
  const wrongKey = new PusherServer({
    ...common,
    appId: TEST_PUSHER_APP.appId,
    key: "other",
    secret: TEST_PUSHER_APP.secret,
  });
  const unknownKey = await refusal(wrongKey.get({ path: "/channels" }));
  expect(unknownKey).toMatchObject({ status: 401, body: expect.stringMatching(/^Unknown auth_key/) });

  const otherApp = new PusherServer({
    ...common,
    appId: "1000002",
    key: TEST_PUSHER_APP.key,
    secret: TEST_PUSHER_APP.secret,
  });
  expect((await refusal(otherApp.trigger(channel, "e", {}))).status).toBe(404);

  const reserved = await refusal(sdk.trigger(channel, "pusher:connection_established", {}));
  expect(reserved).toMatchObject({ status: 400, body: expect.stringMatching(/may not start with pusher:/) });
  const oversized = await refusal(sdk.trigger(channel, "big", "x".repeat(10 * 1024 + 1)));
  expect(oversized.status).toBe(413);
});

test("a request signed by the SDK is refused when replayed over 600 s later", async () => {
  const path = `/apps/${TEST_PUSHER_APP.appId}/channels`;
  const signedAt = (offsetMs: number) => {
    // The SDK stamps requests with Date.now(); moving the clock back signs one as if sent then.
    const realNow = Date.now;
    Date.now = () => realNow() + offsetMs;
    try {
      return sdk.createSignedQueryString({ method: "GET", path });
    } finally {
      Date.now = realNow;
    }
  };
  const send = (query: string) => fetch(`http://127.0.0.1:${SHARED_PORT}${path}?${query}`);
  expect((await send(signedAt(-60_000))).status).toBe(200);
  const replayed = await send(signedAt(-601_000));
  expect(replayed.status).toBe(401);
  expect(await replayed.text()).toMatch(/^Timestamp expired/);
});
