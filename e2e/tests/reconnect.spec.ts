/**
 * Back online means back now: when the network returns, the page reconnects
 * at once instead of waiting out the backoff timer it started while offline,
 * and says "Synced" well within a second on a local server. The time is
 * measured inside the page, from the browser's `online` event to the status
 * badge reading "Synced", so the test's own polling does not count.
 *
 * While "offline", every socket the page opens is closed at once, as a real
 * browser without a network fails a connection at once
 * (ERR_INTERNET_DISCONNECTED); Playwright's offline emulation instead leaves
 * attempts hanging, which would hide the backoff timer this test is about.
 */
import type { Browser, Page } from "@playwright/test";
import { expect, test } from "../support/test.ts";
import { expectSynced, openRoom, personContext, uniqueRoom } from "../support/room.ts";

const ROUNDS = 3;
/** Long enough offline for the backoff to grow to several seconds (×1.5 from about 1 s). */
const OFFLINE_MS = 25_000;
/**
 * The issue's promise for a local server (the README quotes the measured median, a few hundred ms with
 * Playwright's WebSocket route in the path). Today's code took about 1.05 s here (online) and 4.9 s (failed send).
 */
const BOUND_MS = 1_000;

test(`online → Synced takes well under a second (median of ${ROUNDS})`, async ({ browser, baseURL }) => {
  test.setTimeout(180_000);
  const context = await personContext(browser, "Ada");
  let networkDown = false;
  await context.routeWebSocket(/\/parties\/room\//, (socket) => {
    if (networkDown) {
      void socket.close({ code: 1011, reason: "no network" });
      return;
    }
    socket.connectToServer();
  });
  const page = await openRoom(context, baseURL ?? "", uniqueRoom("reconnect"));
  const times: number[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    networkDown = true;
    await context.setOffline(true);
    await expect(page.getByRole("status")).toContainText("Offline");
    await page.waitForTimeout(OFFLINE_MS);
    await page.evaluate(() => {
      const w = window as unknown as { onlineAt?: number; syncedAt?: number };
      delete w.onlineAt;
      delete w.syncedAt;
      addEventListener("online", () => (w.onlineAt = performance.now()), { once: true });
      const badge = document.querySelector('[role="status"]');
      if (!badge) throw new Error("no status badge");
      const observer = new MutationObserver(() => {
        if (w.onlineAt !== undefined && badge.textContent?.includes("Synced")) {
          w.syncedAt = performance.now();
          observer.disconnect();
        }
      });
      observer.observe(badge, { childList: true, subtree: true, characterData: true });
    });
    networkDown = false;
    await context.setOffline(false);
    await expectSynced(page);
    const elapsed = await page.evaluate(() => {
      const w = window as unknown as { onlineAt?: number; syncedAt?: number };
      return (w.syncedAt ?? Number.NaN) - (w.onlineAt ?? Number.NaN);
    });
    times.push(elapsed);
  }
  const sorted = [...times].sort((a, b) => a - b);
  const median = sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
  console.log(
    `online → Synced: ${times.map((t) => `${Math.round(t)} ms`).join(", ")}; median ${Math.round(median)} ms`,
  );
  expect(median).toBeLessThan(BOUND_MS);
});

/** Starts a clock in the page that stops when the status badge next reads "Synced". */
async function armSyncedClock(page: Page): Promise<void> {
  await page.evaluate(() => {
    const w = window as unknown as { startAt?: number; syncedAt?: number };
    w.startAt = performance.now();
    delete w.syncedAt;
    const badge = document.querySelector('[role="status"]');
    if (!badge) throw new Error("no status badge");
    const observer = new MutationObserver(() => {
      if (badge.textContent?.includes("Synced")) {
        w.syncedAt = performance.now();
        observer.disconnect();
      }
    });
    observer.observe(badge, { childList: true, subtree: true, characterData: true });
  });
}

async function syncedAfter(page: Page): Promise<number> {
  await expectSynced(page);
  return page.evaluate(() => {
    const w = window as unknown as { startAt?: number; syncedAt?: number };
    return (w.syncedAt ?? Number.NaN) - (w.startAt ?? Number.NaN);
  });
}

/** Shows or hides the tab as far as the page can tell (Playwright cannot hide a headless tab). */
async function setTabHidden(page: Page, hidden: boolean): Promise<void> {
  await page.evaluate((h) => {
    Object.defineProperty(document, "visibilityState", {
      value: h ? "hidden" : "visible",
      configurable: true,
    });
    document.dispatchEvent(new Event("visibilitychange"));
  }, hidden);
}

/**
 * Cuts the network so that the page's retries fail at once and its backoff
 * grows, then brings it back *without* an `online` event (a captive portal
 * clearing, a flaky Wi-Fi), so only the trigger under test can bring the page back.
 */
async function outageWithoutOnlineEvent(page: Page, network: { down: boolean }, hidden: boolean) {
  network.down = true;
  await page.context().setOffline(true);
  await expect(page.getByRole("status")).toContainText("Offline");
  if (hidden) await setTabHidden(page, true);
  await page.context().setOffline(false);
  await page.waitForTimeout(OFFLINE_MS / 2);
  network.down = false;
}

async function openBehindSwitch(browser: Browser, baseURL: string | undefined) {
  const context = await personContext(browser, "Ada");
  const network = { down: false };
  await context.routeWebSocket(/\/parties\/room\//, (socket) => {
    if (network.down) void socket.close({ code: 1011, reason: "no network" });
    else socket.connectToServer();
  });
  const page = await openRoom(context, baseURL ?? "", uniqueRoom("reconnect"));
  return { page, network };
}

test("a tab shown again reconnects at once instead of waiting out its hidden-tab backoff", async ({
  browser,
  baseURL,
}) => {
  test.setTimeout(90_000);
  const { page, network } = await openBehindSwitch(browser, baseURL);
  await outageWithoutOnlineEvent(page, network, true);
  await armSyncedClock(page);
  await setTabHidden(page, false);
  const elapsed = await syncedAfter(page);
  console.log(`tab shown → Synced: ${Math.round(elapsed)} ms`);
  expect(elapsed).toBeLessThan(BOUND_MS);
});

test("a failed send reconnects at once instead of waiting out the backoff", async ({ browser, baseURL }) => {
  test.setTimeout(90_000);
  const { page, network } = await openBehindSwitch(browser, baseURL);
  await outageWithoutOnlineEvent(page, network, false);
  await armSyncedClock(page);
  await page.getByRole("textbox", { name: "Message" }).fill("are we back?");
  await page.getByRole("textbox", { name: "Message" }).press("Enter");
  const elapsed = await syncedAfter(page);
  console.log(`failed send → Synced: ${Math.round(elapsed)} ms`);
  expect(elapsed).toBeLessThan(BOUND_MS);
  await expect(page.getByRole("log", { name: "Chat" })).not.toContainText("sending…");
});
