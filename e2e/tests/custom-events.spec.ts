/**
 * Custom events through the embed host API: one host's `send-event` reaches
 * another host as `event` with the sender as the room knows it, the API's
 * `POST …/events` reaches hosts as the server's, and an event that is too
 * large, badly named or sent by a view-only embed reaches nobody.
 */
import type { Page } from "@playwright/test";
import { LIMITS, tokenSubprotocols } from "@edgeroom/shared";
import { secondsFromNow, signRoomToken } from "@edgeroom/testkit";
import { openClient, roomSocketUrl } from "@edgeroom/testkit/node";
import { api, apiOk, roomPath } from "../support/api.ts";
import {
  embedFrame,
  hostEventsOf,
  hostSend,
  openHostPage,
  startHostPage,
  type HostPage,
} from "../support/host-page.ts";
import { expect, test } from "../support/test.ts";
import { uniqueRoom } from "../support/room.ts";
import { EMBED_HOST_ORIGIN, SHARED_URL } from "../support/shared-server.ts";

let host: HostPage;

test.beforeAll(async () => {
  host = await startHostPage(EMBED_HOST_ORIGIN);
});

test.afterAll(async () => {
  await host.close();
});

/** The custom events a host page heard, as `{ type, data, from }`. */
async function heard(
  page: Page,
): Promise<Array<{ type: unknown; data: unknown; from: Record<string, unknown> }>> {
  return (await hostEventsOf(page, "event")).map((entry) => {
    const event = entry["event"] as { type: unknown; data?: unknown };
    return { type: event.type, data: event.data, from: entry["from"] as Record<string, unknown> };
  });
}

/** Waits until `page` heard an event of `type`; what came before it is then known to be all there is. */
async function expectHeard(page: Page, type: string): Promise<void> {
  await expect.poll(async () => (await heard(page)).map((e) => e.type)).toContain(type);
}

test("host A's send-event reaches host B with A's identity, and not A itself", async ({ browser }) => {
  const room = uniqueRoom("events-hosts");
  const alice = await openHostPage(browser, host.origin, `/embed/${room}?name=Alice`);
  const bob = await openHostPage(browser, host.origin, `/embed/${room}?name=Bob`);

  await hostSend(alice, {
    type: "send-event",
    event: { type: "poll:vote", data: { choice: 2, note: "<b>hi</b>" } },
  });
  await expectHeard(bob, "poll:vote");
  const [event] = await heard(bob);
  expect(event?.data).toEqual({ choice: 2, note: "<b>hi</b>" });
  expect(event?.from["kind"]).toBe("socket");
  expect(event?.from["key"]).toEqual(expect.any(String));
  expect(event?.from["user"]).toMatchObject({ name: "Alice" });

  // Bob answers; Alice hears Bob, and never her own event.
  await hostSend(bob, { type: "send-event", event: { type: "poll:ack" } });
  await expectHeard(alice, "poll:ack");
  expect((await heard(alice)).map((e) => [e.type, e.from["user"]])).toEqual([
    ["poll:ack", expect.objectContaining({ name: "Bob" })],
  ]);
});

test("an event posted through the API reaches the host as the server's", async ({ browser }) => {
  const room = uniqueRoom("events-api");
  const alice = await openHostPage(browser, host.origin, `/embed/${room}?name=Alice`);
  const sent = await apiOk(SHARED_URL, roomPath(room, "/events"), {
    json: { type: "build:done", data: { ok: true } },
  });
  expect(sent.body).toEqual({ delivered: 1 });
  await expectHeard(alice, "build:done");
  expect(await heard(alice)).toEqual([{ type: "build:done", data: { ok: true }, from: { kind: "server" } }]);

  // Without the secret nothing is sent.
  const refused = await api(SHARED_URL, roomPath(room, "/events"), {
    json: { type: "spoof" },
    secret: "wrong",
  });
  expect(refused.status).toBe(401);
  await hostSend(alice, { type: "send-event", event: { type: "marker" } });
  await apiOk(SHARED_URL, roomPath(room, "/events"), { json: { type: "marker-2" } });
  await expectHeard(alice, "marker-2");
  expect((await heard(alice)).map((e) => e.type)).toEqual(["build:done", "marker-2"]);
});

test("an event too large or with an invalid type is refused and reaches nobody", async ({ browser }) => {
  const room = uniqueRoom("events-bad");
  const alice = await openHostPage(browser, host.origin, `/embed/${room}?name=Alice`);
  const bob = await openHostPage(browser, host.origin, `/embed/${room}?name=Bob`);
  const tooLarge = { type: "big", data: "x".repeat(LIMITS.maxCustomEventBytes) };
  const badTypes = [
    { type: "has space" },
    { type: "" },
    { type: "x".repeat(LIMITS.maxCustomEventTypeLength + 1) },
  ];

  // From a host: the embed drops what the shared schema refuses, and says so in its console.
  const ignored = alice.waitForEvent("console", (m) => m.text().includes("ignored a malformed host message"));
  for (const event of [tooLarge, ...badTypes]) await hostSend(alice, { type: "send-event", event });
  await ignored;
  // From the API: 400, nothing delivered.
  for (const event of [tooLarge, ...badTypes]) {
    const answer = await api(SHARED_URL, roomPath(room, "/events"), { json: event });
    expect(answer.status, JSON.stringify(answer.body)).toBe(400);
  }
  // A good event after them all: once it arrived, anything sent before it would have too.
  await hostSend(alice, { type: "send-event", event: { type: "after" } });
  await expectHeard(bob, "after");
  expect((await heard(bob)).map((e) => e.type)).toEqual(["after"]);
  expect(await heard(alice)).toEqual([]);
});

test("a view-mode embed's send-event reaches nobody, and its host hears why", async ({ browser }) => {
  const room = uniqueRoom("events-view");
  const viewer = await openHostPage(browser, host.origin, `/embed/${room}?name=Viewer&mode=view`);
  const bob = await openHostPage(browser, host.origin, `/embed/${room}?name=Bob`);

  await hostSend(viewer, { type: "send-event", event: { type: "from-viewer" } });
  await expect.poll(async () => (await hostEventsOf(viewer, "error")).length).toBe(1);
  expect((await hostEventsOf(viewer, "error"))[0]).toMatchObject({
    command: "send-event",
    code: "read-only",
  });

  // The viewer still hears others' events (reading is what view mode is for).
  await apiOk(SHARED_URL, roomPath(room, "/events"), { json: { type: "after" } });
  await expectHeard(bob, "after");
  await expectHeard(viewer, "after");
  expect((await heard(bob)).map((e) => e.type)).toEqual(["after"]);
});

test("a socket with a view token that sends event-send directly is refused read-only; nobody hears it", async ({
  browser,
}) => {
  const room = uniqueRoom("events-view-token");
  const bob = await openHostPage(browser, host.origin, `/embed/${room}?name=Bob`);
  const token = await signRoomToken(
    { room, sub: "viewer-0001", name: "Viewer", color: "#2f9e44", scope: "view" },
    { expiresAt: secondsFromNow(600) },
  );
  const viewer = await openClient(roomSocketUrl(SHARED_URL, room), { protocols: tokenSubprotocols(token) });
  try {
    await viewer.synced;
    viewer.sendApp({ type: "event-send", event: { type: "sneaky" } });
    await viewer.until(() => viewer.app.some((m) => m.type === "error" && m.code === "read-only"), 10_000);
    await apiOk(SHARED_URL, roomPath(room, "/events"), { json: { type: "after" } });
    await expectHeard(bob, "after");
    expect((await heard(bob)).map((e) => e.type)).toEqual(["after"]);
  } finally {
    viewer.socket.close();
  }
});

test("an embed whose access the backend takes down to view is read-only at once: its events answer read-only", async ({
  browser,
}) => {
  const room = uniqueRoom("events-downgrade");
  // The host page signs its user in (sub host-user-0001, scope edit) with a token from its backend.
  const signedIn = await openHostPage(browser, host.origin, `/embed/${room}?auth=token`, {
    room,
    "token-name": "Tess Token",
  });
  const bob = await openHostPage(browser, host.origin, `/embed/${room}?name=Bob`);
  await hostSend(signedIn, { type: "send-event", event: { type: "before" } });
  await expectHeard(bob, "before");

  const revoked = await apiOk(SHARED_URL, roomPath(room, "/revoke"), {
    json: { sub: "host-user-0001", scope: "view" },
  });
  expect(revoked.body).toMatchObject({ downgradedSockets: 1 });
  const embed = embedFrame(signedIn);
  await expect(embed.getByText("View only", { exact: true })).toBeVisible();
  await expect(embed.getByRole("textbox", { name: "Document" })).toHaveAttribute("aria-readonly", "true");
  await expect(embed.getByRole("status")).toContainText("Synced");

  await hostSend(signedIn, { type: "send-event", event: { type: "after-downgrade" } });
  await expect.poll(async () => (await hostEventsOf(signedIn, "error")).length).toBe(1);
  expect((await hostEventsOf(signedIn, "error"))[0]).toMatchObject({
    command: "send-event",
    code: "read-only",
  });
  await apiOk(SHARED_URL, roomPath(room, "/events"), { json: { type: "marker" } });
  await expectHeard(bob, "marker");
  expect((await heard(bob)).map((e) => e.type)).toEqual(["before", "marker"]);
});
