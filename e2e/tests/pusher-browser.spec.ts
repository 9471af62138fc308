/**
 * pusher-js's browser build, unmodified, in real Chromium: loaded into a
 * page at the shared server's own origin (in `PUBLIC_ORIGINS`, so its Pusher
 * socket is allowed), authorized by an endpoint at that origin which this
 * test serves with the `pusher` SDK. It follows an Edgeroom room through the
 * bridge and receives an event the SDK triggers through the HTTP API.
 */
import { fileURLToPath } from "node:url";
import { publicPersonId } from "@edgeroom/shared";
import { TEST_PUSHER_APP, type HeadlessClient } from "@edgeroom/testkit";
import { openClient, roomSocketUrl } from "@edgeroom/testkit/node";
import type { Page } from "@playwright/test";
import PusherServer from "pusher";
import type PusherJs from "pusher-js";
import type { PresenceChannel } from "pusher-js";
import { uniqueRoom } from "../support/room.ts";
import { SHARED_PORT, SHARED_URL } from "../support/shared-server.ts";
import { expect, test } from "../support/test.ts";

const PUSHER_JS = fileURLToPath(new URL("../node_modules/pusher-js/dist/web/pusher.js", import.meta.url));
const sdk = new PusherServer({
  ...TEST_PUSHER_APP,
  host: "127.0.0.1",
  port: String(SHARED_PORT),
  useTLS: false,
});
const ada = { name: "Ada", color: "#c2255c" };
const ADA = "ada-secret-person-id";

/** What the page's pusher-js saw, by channel and event. */
interface Seen {
  state: string;
  events: { channel: string; event: string; data: unknown }[];
  members: Record<string, string[]>;
}

/**
 * A page the server itself serves, with pusher-js loaded and the app's auth endpoint beside it at the same
 * origin. (A document Playwright made up would count as from the public internet for Chromium's local
 * network access checks, and could not open a socket to 127.0.0.1.)
 */
async function pusherPage(page: Page): Promise<void> {
  await page.route(`${SHARED_URL}/pusher/auth`, (route) => {
    const form = new URLSearchParams(route.request().postData() ?? "");
    const socketId = form.get("socket_id") ?? "";
    const channel = form.get("channel_name") ?? "";
    const auth = channel.startsWith("presence-")
      ? sdk.authorizeChannel(socketId, channel, { user_id: "browser-user", user_info: { name: "Browser" } })
      : sdk.authorizeChannel(socketId, channel);
    return route.fulfill({ contentType: "application/json", body: JSON.stringify(auth) });
  });
  await page.goto(`${SHARED_URL}/embed-config.json`);
  await page.addScriptTag({ path: PUSHER_JS });
}

/** The page's globals: pusher-js's `Pusher`, the client made with it, and what it saw. */
interface PusherWindow {
  Pusher: typeof PusherJs;
  pusher: PusherJs;
  seen: Seen;
}

/** Connects the page's pusher-js and subscribes to `channels`, recording every event and the presence members. */
async function subscribeInPage(page: Page, channels: string[]): Promise<void> {
  await page.evaluate(
    ({ key, port, channels }) => {
      const page = window as unknown as PusherWindow;
      const seen: Seen = { state: "", events: [], members: {} };
      page.seen = seen;
      const pusher = new page.Pusher(key, {
        cluster: "local",
        wsHost: "127.0.0.1",
        wsPort: port,
        forceTLS: false,
        enabledTransports: ["ws"],
        channelAuthorization: { endpoint: "/pusher/auth", transport: "ajax" },
      });
      page.pusher = pusher;
      for (const name of channels) {
        const channel = pusher.subscribe(name);
        const members = () => {
          const ids: string[] = [];
          (channel as PresenceChannel).members.each((m: { id: string }) => ids.push(m.id));
          seen.members[name] = ids.sort();
        };
        channel.bind_global((event: string, data: unknown) => {
          seen.events.push({ channel: name, event, data });
          if (name.startsWith("presence-")) members();
        });
      }
    },
    { key: TEST_PUSHER_APP.key, port: SHARED_PORT, channels },
  );
}

function seen(page: Page): Promise<Seen> {
  return page.evaluate(() => {
    const page = window as unknown as PusherWindow;
    return { ...page.seen, state: page.pusher.connection.state };
  });
}

test("pusher-js in Chromium follows an Edgeroom room and gets the SDK's events", async ({ page }) => {
  const room = uniqueRoom("pusher-browser");
  const presence = `presence-edgeroom-${room}`;
  const privateChannel = `private-edgeroom-${room}`;
  const person: HeadlessClient = await openClient(roomSocketUrl(SHARED_URL, room), {
    user: ada,
    person: ADA,
  });
  try {
    await person.synced;
    await pusherPage(page);
    await subscribeInPage(page, [presence, privateChannel]);

    await expect.poll(async () => (await seen(page)).state).toBe("connected");
    // The person in the room and the page's own user, each once.
    await expect
      .poll(async () => (await seen(page)).members[presence])
      .toEqual([publicPersonId(ADA), "browser-user"].sort());

    // Triggered by the SDK through the HTTP API (POST /apps/<id>/events), to both channels at once.
    await sdk.trigger([presence, privateChannel], "deploy", { version: "1.2.3" });
    await expect
      .poll(async () => (await seen(page)).events.filter((e) => e.event === "deploy"))
      .toEqual([
        { channel: presence, event: "deploy", data: { version: "1.2.3" } },
        { channel: privateChannel, event: "deploy", data: { version: "1.2.3" } },
      ]);

    // The room's chat, through the bridge (the room may still be hearing of the channel: retry until one lands).
    await expect
      .poll(async () => {
        await person.chat(`chat-${Math.random().toString(36).slice(2, 12)}`, "hello, browser");
        return (await seen(page)).events.filter((e) => e.event === "chat-message").map((e) => e.data);
      })
      .toContainEqual(expect.objectContaining({ text: "hello, browser", author: ada }));
  } finally {
    await person.close();
  }
});
