/**
 * A page on another origin that embeds a room the way a customer's site
 * would: an iframe plus a script using the host API, and a token endpoint
 * like the README's (jose, HS256). Served by a tiny Node server on 127.0.0.1;
 * tests open it as http://localhost:<port>, a different origin from the app.
 */
import { createServer, type Server } from "node:http";
import { expect, type Browser, type Page } from "@playwright/test";
import { secondsFromNow, signRoomToken } from "@edgeroom/testkit";
import { SHARED_URL } from "./shared-server.ts";

export interface HostPage {
  origin: string;
  close(): Promise<void>;
}

/**
 * The page: `?embed=<path>` frames that embed path; `?popup=<path>` opens it in a new window instead.
 * With `token-name`, it answers `token-needed` with a token from its backend; `token-ttl` (seconds)
 * makes the first token short-lived, and `renew=manual` holds later answers until the test calls
 * `window.renewToken()` (so a test controls how long the embed goes without a valid token).
 */
function hostHtml(): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Host page</title></head>
<body>
<h1>A site that embeds Edgeroom</h1>
<ol id="events" aria-label="Events from the embed"></ol>
<script type="module">
const app = ${JSON.stringify(SHARED_URL)};
const params = new URLSearchParams(location.search);
const log = (entry) => {
  const item = document.createElement("li");
  item.textContent = JSON.stringify(entry);
  document.getElementById("events").append(item);
};
let target;
if (params.get("embed")) {
  const frame = document.createElement("iframe");
  frame.src = app + params.get("embed");
  frame.title = "Embedded room";
  frame.width = "400";
  frame.height = "300";
  frame.addEventListener("load", () => log({ type: "frame-loaded" }));
  document.body.append(frame);
  target = frame.contentWindow;
} else if (params.get("popup")) {
  target = window.open(app + params.get("popup"), "embed");
}
let tokensSent = 0;
window.hostSend = (command) => target.postMessage({ channel: "edgeroom", ...command }, app);
addEventListener("message", async (event) => {
  if (event.origin !== app || event.data?.channel !== "edgeroom") return;
  log(event.data);
  if (event.data.type === "token-needed" && params.get("token-name")) {
    const first = tokensSent === 0;
    tokensSent += 1;
    if (!first && params.get("renew") === "manual") await new Promise((resolve) => (window.renewToken = resolve));
    const ttl = first && params.get("token-ttl") ? "&ttl=" + params.get("token-ttl") : "";
    const response = await fetch("/token?room=" + encodeURIComponent(params.get("room")) + "&name=" + encodeURIComponent(params.get("token-name")) + ttl);
    window.hostSend({ type: "set-token", token: await response.text() });
    log({ type: "host-sent-token", ttl: ttl ? Number(params.get("token-ttl")) : 600 });
  }
});
</script>
</body></html>`;
}

/** What a host's backend does after checking who its user is (here: it trusts the query, it is a test). */
async function mintToken(room: string, name: string, ttlSeconds = 600): Promise<string> {
  return signRoomToken(
    { room, sub: "host-user-0001", name, color: "#2f9e44", scope: "edit" },
    { expiresAt: secondsFromNow(ttlSeconds) },
  );
}

export async function startHostPage(origin: string): Promise<HostPage> {
  const port = Number(new URL(origin).port);
  const server: Server = createServer((request, response) => {
    const url = new URL(request.url ?? "/", origin);
    if (url.pathname === "/token") {
      const ttl = Number(url.searchParams.get("ttl") ?? "600");
      const room = url.searchParams.get("room") ?? "";
      void mintToken(
        room,
        url.searchParams.get("name") ?? "Host user",
        Number.isFinite(ttl) ? ttl : 600,
      ).then((token) => {
        response.writeHead(200, { "Content-Type": "text/plain", "Cache-Control": "no-store" });
        response.end(token);
      });
      return;
    }
    response.writeHead(200, { "Content-Type": "text/html; charset=utf-8" });
    response.end(hostHtml());
  });
  await new Promise<void>((resolve) => server.listen(port, "127.0.0.1", resolve));
  return {
    origin,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** What the embed told the host page so far, parsed, oldest first (the page logs each message). */
export async function hostEventLog(page: Page): Promise<Array<Record<string, unknown>>> {
  const texts = await page
    .getByRole("list", { name: "Events from the embed" })
    .getByRole("listitem")
    .allTextContents();
  return texts.map((text) => JSON.parse(text) as Record<string, unknown>);
}

/** The messages of one `type` the embed posted to the host page. */
export async function hostEventsOf(page: Page, type: string): Promise<Array<Record<string, unknown>>> {
  return (await hostEventLog(page)).filter((entry) => entry["type"] === type);
}

/** Posts a host command to the embed, as the host page's script does (`channel` is added). */
export async function hostSend(page: Page, command: Record<string, unknown>): Promise<void> {
  await page.evaluate((c) => (window as unknown as { hostSend(c: object): void }).hostSend(c), command);
}

/** A host page on `origin` framing `embedPath` (e.g. `/embed/<room>?name=Ada`), once the embed is synced and ready. */
export async function openHostPage(
  browser: Browser,
  origin: string,
  embedPath: string,
  /** More of the host page's query (`room`, `token-name`: it signs its user in, see `hostHtml`). */
  params: Record<string, string> = {},
): Promise<Page> {
  const page = await (await browser.newContext()).newPage();
  await page.goto(`${origin}/?${new URLSearchParams({ ...params, embed: embedPath }).toString()}`);
  await expect(embedFrame(page).getByRole("status")).toContainText("Synced", { timeout: 30_000 });
  await expect.poll(async () => (await hostEventsOf(page, "ready")).length).toBe(1);
  return page;
}

export function embedFrame(page: Page) {
  return page.frameLocator("iframe[title='Embedded room']");
}
