/**
 * The app shell works without a network: a service worker (vite-plugin-pwa,
 * Workbox) precaches the page, so a reload or a fresh room link opens while
 * offline, with the offline state shown. The embed, its config, room sockets
 * and APIs are never answered from the cache.
 */
import type { Page } from "@playwright/test";
import { expect, test } from "../support/test.ts";
import { editor, openRoom, personContext, uniqueRoom, expectRoomHeader } from "../support/room.ts";
import { SHARED_URL } from "../support/shared-server.ts";

/** Waits until the service worker is active and controls this page. */
async function expectControlled(page: Page): Promise<void> {
  await expect
    .poll(() => page.evaluate(() => navigator.serviceWorker.controller?.state ?? "none"), { timeout: 30_000 })
    .toBe("activated");
}

/** Every URL the service worker's caches hold, as paths. */
function cachedPaths(page: Page): Promise<string[]> {
  return page.evaluate(async () => {
    const paths: string[] = [];
    for (const name of await caches.keys()) {
      for (const request of await (await caches.open(name)).keys()) paths.push(new URL(request.url).pathname);
    }
    return paths;
  });
}

async function expectOfflineRoom(page: Page, room: string): Promise<void> {
  await expectRoomHeader(page, room);
  await expect(page.getByRole("status")).toContainText("Offline");
  await expect(editor(page)).toBeVisible();
}

test("offline, a reload and a fresh room link open the room page from the cached shell", async ({
  browser,
}) => {
  const room = uniqueRoom("shell");
  const context = await personContext(browser, "Ada");
  const page = await openRoom(context, SHARED_URL, room);
  await expectControlled(page);

  await context.setOffline(true);
  await page.reload();
  await expectOfflineRoom(page, room);
  // The editor takes typing while offline (what becomes of it is the device copy's job).
  await editor(page).click();
  await page.keyboard.type("typed offline");
  await expect(editor(page)).toContainText("typed offline");

  const other = uniqueRoom("shell-fresh");
  const fresh = await context.newPage();
  await fresh.goto(`${SHARED_URL}/r/${other}`);
  await expectOfflineRoom(fresh, other);

  await context.setOffline(false);
  await expect(fresh.getByRole("status")).toContainText("Synced", { timeout: 20_000 });
});

test("text typed offline survives a reload while offline and reaches another person once back", async ({
  browser,
}) => {
  const room = uniqueRoom("shell-device");
  const context = await personContext(browser, "Ada");
  const page = await openRoom(context, SHARED_URL, room);
  await expectControlled(page);
  await editor(page).click();
  await page.keyboard.type("before. ");
  await expect(page.getByText("All changes saved")).toBeVisible();

  await context.setOffline(true);
  await page.keyboard.type("typed offline.");
  await expect(page.getByText(/Saved on this device/)).toBeVisible();
  await page.reload();
  await expectOfflineRoom(page, room);
  // The cached shell opens the room with the device copy: nothing typed is lost.
  await expect(editor(page)).toContainText("before. typed offline.");

  await context.setOffline(false);
  await expect(page.getByRole("status")).toContainText("Synced", { timeout: 20_000 });
  await expect(page.getByText("All changes saved")).toBeVisible();
  const bo = await openRoom(await personContext(browser, "Bo"), SHARED_URL, room);
  await expect(editor(bo)).toContainText("before. typed offline.");
});

test("the embed, its config, room sockets and APIs are never answered from the cache", async ({
  browser,
}) => {
  const room = uniqueRoom("shell-embed");
  const context = await personContext(browser, "Ada");
  const page = await openRoom(context, SHARED_URL, room);
  await expectControlled(page);
  // Visit each online first, so a cache that took them would have them now.
  const embed = await context.newPage();
  await embed.goto(`${SHARED_URL}/embed/${room}`);
  await expect(embed.getByRole("status")).toContainText("Synced", { timeout: 20_000 });
  await page.evaluate(() => fetch("/embed-config.json").then((r) => r.json()));

  const cached = await cachedPaths(page);
  expect(cached).toContain("/index.html");
  expect(cached.filter((path) => /^\/(embed|parties|api)\b|^\/embed-config\.json$/.test(path))).toEqual([]);

  await context.setOffline(true);
  await expect(embed.goto(`${SHARED_URL}/embed/${room}`)).rejects.toThrow(/ERR_INTERNET_DISCONNECTED/);
  for (const path of ["/embed-config.json", `/parties/room/${room}`, "/api/anything"]) {
    const outcome = await page.evaluate(
      (url) =>
        fetch(url).then(
          (r) => `answered ${r.status}`,
          () => "network error",
        ),
      path,
    );
    expect(outcome, path).toBe("network error");
  }
  // Navigations outside the app's routes are not given the shell either.
  await expect(embed.goto(`${SHARED_URL}/api/rooms`)).rejects.toThrow(/ERR_INTERNET_DISCONNECTED/);
});

test("the service worker and the manifest are served with their content types", async ({ request }) => {
  const sw = await request.get(`${SHARED_URL}/sw.js`);
  expect(sw.status()).toBe(200);
  expect(sw.headers()["content-type"]).toMatch(/^(application|text)\/javascript/);
  expect(await sw.text()).toContain("precacheAndRoute");
  const manifest = await request.get(`${SHARED_URL}/manifest.webmanifest`);
  expect(manifest.status()).toBe(200);
  expect(manifest.headers()["content-type"]).toMatch(/^application\/manifest\+json/);
  expect(await manifest.json()).toMatchObject({ name: "Edgeroom", start_url: "/" });
});
