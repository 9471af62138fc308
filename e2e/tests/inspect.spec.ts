/**
 * The room inspector on real `wrangler dev` with `EDGEROOM_INSPECT=local`, as
 * `pnpm start` runs it: two people in a room show up as two connections,
 * their names as text (a hostile one included), in both themes, with no
 * serious axe violation. Screenshots for the lead: /tmp/inspect-light.png
 * and /tmp/inspect-dark.png.
 */
import AxeBuilder from "@axe-core/playwright";
import type { Page } from "@playwright/test";
import { expect, test } from "../support/test.ts";
import { expectSynced, openRoom, personContext, uniqueRoom } from "../support/room.ts";
import { freshStateDir, startServer, type RunningServer } from "../support/server.ts";
import { SPARE_PORT_BASE } from "../support/shared-server.ts";

const PORT = SPARE_PORT_BASE + 11;
const HOSTILE = "<img src=x onerror=alert(1)>";

let server: RunningServer;

test.beforeAll(async () => {
  server = await startServer({
    port: PORT,
    persistDir: freshStateDir("inspect"),
    vars: { EDGEROOM_INSPECT: "local" },
  });
});

test.afterAll(async () => {
  await server?.stop();
});

async function seriousViolations(page: Page): Promise<string[]> {
  const results = await new AxeBuilder({ page })
    .withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"])
    .analyze();
  return results.violations
    .filter((v) => v.impact === "serious" || v.impact === "critical")
    .map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(" ")).join("; ")}`);
}

test("the inspector shows two people's sockets and names as text, in light and dark", async ({ browser }) => {
  test.setTimeout(120_000);
  const room = uniqueRoom("inspect");
  const ada = await openRoom(await personContext(browser, "Ada"), server.url, room);
  const eve = await openRoom(await personContext(browser, HOSTILE, "#c2255c"), server.url, room);
  await expectSynced(ada);
  await expectSynced(eve);

  const context = await browser.newContext();
  const page = await context.newPage();
  const dialogs: string[] = [];
  page.on("dialog", (dialog) => {
    dialogs.push(dialog.message());
    void dialog.dismiss();
  });
  const errors: string[] = [];
  page.on("console", (message) => {
    if (message.type() === "error") errors.push(message.text());
  });
  for (const theme of ["light", "dark"] as const) {
    await page.emulateMedia({ colorScheme: theme });
    await page.goto(`${server.url}/__inspect/${room}`);
    await expect(page.getByRole("heading", { level: 1 })).toHaveText(`Room ${room}`);
    const connections = page.getByRole("region", { name: "Connections" }).getByRole("row");
    // One header row and one row per socket.
    await expect(connections).toHaveCount(3);
    const people = page.getByRole("region", { name: "People" });
    await expect(people.getByRole("cell", { name: "Ada", exact: true })).toBeVisible();
    await expect(people.getByRole("cell", { name: HOSTILE, exact: true })).toBeVisible();
    // The page refreshes itself: the status line moves on within a few seconds.
    const status = await page.getByRole("status").textContent();
    await expect(page.getByRole("status")).not.toHaveText(status ?? "", { timeout: 6_000 });
    await expect(page.locator("img")).toHaveCount(0);
    await page.screenshot({ path: `/tmp/inspect-${theme}.png`, fullPage: true });
    expect(await seriousViolations(page), `axe in ${theme}`).toEqual([]);
  }
  // A phone's width: the tables scroll inside their boxes, the page itself does not.
  await page.setViewportSize({ width: 390, height: 844 });
  await expect(page.getByRole("region", { name: "Connections" })).toBeVisible();
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  expect(overflow).toBeLessThanOrEqual(0);
  await page.screenshot({ path: "/tmp/inspect-phone.png" });
  expect(dialogs).toEqual([]);
  // The policy allows only the page's own nonce'd script and style; anything else would be reported here.
  expect(errors.filter((e) => /Content Security Policy/i.test(e))).toEqual([]);

  // Without the var the same server would not show it; a non-loopback host name is refused here.
  const foreign = await page.request.get(`${server.url}/__inspect/${room}.json`, {
    headers: { Host: `evil.example:${PORT}` },
  });
  expect(foreign.status()).toBe(404);
});
