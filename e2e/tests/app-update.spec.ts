/**
 * A new deploy reaches open tabs without breaking them: the service worker of
 * the new build waits, the page offers "Reload", and only that loads the new
 * version. The server here serves a copy of the built app, and the "deploy"
 * changes that copy the way a new build does: a changed index.html and a
 * sw.js whose precache manifest names its new revision.
 */
import { createHash } from "node:crypto";
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Page } from "@playwright/test";
import { expect, test } from "../support/test.ts";
import { freshStateDir, ROOT, startServer, type RunningServer } from "../support/server.ts";
import { SHARED_PORT } from "../support/shared-server.ts";
import {
  expectDocument,
  expectSynced,
  openRoom,
  personContext,
  typeInEditor,
  uniqueRoom,
} from "../support/room.ts";

const PORT = SHARED_PORT + 20;

/** A wrangler config serving a copy of web/dist, so the test can change what is deployed. */
function copyOfApp(): { config: string; dist: string } {
  const dir = mkdtempSync(join(tmpdir(), "edgeroom-deploy-"));
  const dist = join(dir, "dist");
  cpSync(join(ROOT, "web/dist"), dist, { recursive: true });
  const config = readFileSync(join(ROOT, "wrangler.toml"), "utf8")
    .replace('main = "worker/src/index.ts"', `main = ${JSON.stringify(join(ROOT, "worker/src/index.ts"))}`)
    .replace('directory = "web/dist"', `directory = ${JSON.stringify(dist)}`);
  writeFileSync(join(dir, "wrangler.toml"), config);
  return { config: join(dir, "wrangler.toml"), dist };
}

/** What a new build changes: the page, and the revision the service worker precaches it under. */
function deployNewVersion(dist: string, label: string): void {
  const indexPath = join(dist, "index.html");
  const oldHtml = readFileSync(indexPath, "utf8");
  const html = oldHtml.replace("<head>", `<head>\n    <meta name="edgeroom-build" content="${label}" />`);
  writeFileSync(indexPath, html);
  const revision = (text: string): string => createHash("md5").update(text).digest("hex");
  const swPath = join(dist, "sw.js");
  const sw = readFileSync(swPath, "utf8");
  const entry = `{url:"index.html",revision:"${revision(oldHtml)}"}`;
  if (!sw.includes(entry)) throw new Error("sw.js does not precache index.html as expected");
  writeFileSync(swPath, sw.replace(entry, `{url:"index.html",revision:"${revision(html)}"}`));
}

function buildLabel(page: Page): Promise<string | null> {
  return page.evaluate(
    () => document.querySelector('meta[name="edgeroom-build"]')?.getAttribute("content") ?? null,
  );
}

test("a new deploy shows a Reload notice in open rooms, and Reload loads the new version", async ({
  browser,
}) => {
  const app = copyOfApp();
  const persistDir = freshStateDir("update");
  let server: RunningServer = await startServer({ port: PORT, persistDir, config: app.config });
  try {
    const room = uniqueRoom("update");
    const page = await openRoom(await personContext(browser, "Ada"), server.url, room);
    await expect
      .poll(() => page.evaluate(() => navigator.serviceWorker.controller?.state ?? "none"), {
        timeout: 30_000,
      })
      .toBe("activated");
    await typeInEditor(page, "kept across the update");
    const notice = page.getByRole("region", { name: "New version available" });
    await expect(notice).toHaveCount(0);

    // The deploy: new files, a restarted server (every socket drops, as on Cloudflare).
    await server.stop();
    deployNewVersion(app.dist, "B");
    server = await startServer({ port: PORT, persistDir, config: app.config });
    await expectSynced(page);
    // The page looks for a new version when it comes back into view (and hourly).
    await page.evaluate(() => document.dispatchEvent(new Event("visibilitychange")));
    await expect(notice).toBeVisible({ timeout: 20_000 });
    await expect(notice).toContainText("A new version of Edgeroom is available.");
    // Nothing changes until the person chooses: the open room keeps working on the old version.
    expect(await buildLabel(page)).toBeNull();
    await typeInEditor(page, ", still editing");

    const reloaded = page.waitForEvent("load");
    await notice.getByRole("button", { name: "Reload" }).focus();
    await page.keyboard.press("Enter");
    await reloaded;
    await expect.poll(() => buildLabel(page)).toBe("B");
    await expectSynced(page);
    await expectDocument(page, "kept across the update, still editing");
    await expect(notice).toHaveCount(0);
  } finally {
    await server.stop();
  }
});
