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
import { expect, test } from "../support/test.ts";
import { expectSynced, openRoom, personContext, uniqueRoom } from "../support/room.ts";

const ROUNDS = 3;
/** Long enough offline for the backoff to grow to several seconds (×1.5 from about 1 s). */
const OFFLINE_MS = 25_000;
/** Generous for a local server (the README quotes the measured median); the backoff timer it cuts short runs up to 10 s. */
const BOUND_MS = 1_500;

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
