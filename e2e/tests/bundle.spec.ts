/**
 * Fast first paint, as Chromium fetches it: the landing page runs on a small
 * script with no editor in it, and a room link fetches at most the room's
 * budget, editor included, and still edits. Bodies are gzip-compressed here
 * (level 9, as `pnpm size` does), whatever the server sent over the wire.
 */
import { readdirSync } from "node:fs";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import type { Page } from "@playwright/test";
import { BUDGETS } from "../../web/scripts/size-budget.mjs";
import { expect, test } from "../support/test.ts";
import {
  editor,
  expectDocument,
  people,
  personContext,
  typeInEditor,
  uniqueRoom,
  expectRoomHeader,
} from "../support/room.ts";
import { ROOT } from "../support/server.ts";
import { SHARED_URL } from "../support/shared-server.ts";

interface FetchedScript {
  path: string;
  gzipBytes: number;
  /** Whether it holds CodeMirror's view (its editor class names). */
  codeMirror: boolean;
}

/** Collects every script the page fetches from now on (from the network or the service worker's cache). */
function recordScripts(page: Page): () => Promise<FetchedScript[]> {
  const pending: Promise<FetchedScript>[] = [];
  page.on("response", (response) => {
    if (response.request().resourceType() !== "script") return;
    pending.push(
      response.body().then((body) => ({
        path: new URL(response.url()).pathname,
        gzipBytes: gzipSync(body, { level: 9 }).length,
        codeMirror: body.includes("cm-editor"),
      })),
    );
  });
  return () => Promise.all(pending);
}

const total = (scripts: FetchedScript[]): number => scripts.reduce((sum, s) => sum + s.gzipBytes, 0);

test("the landing page shows its content from a script within 120 kB gzip, with no editor in it", async ({
  browser,
}) => {
  const page = await (await browser.newContext()).newPage();
  const scripts = recordScripts(page);
  await page.goto(`${SHARED_URL}/`);
  await expect(page.getByRole("heading", { level: 1, name: "Write together, live." })).toBeVisible();
  await expect(page.getByRole("button", { name: "New room" })).toBeEnabled();
  await page.waitForLoadState("networkidle");

  const fetched = await scripts();
  expect(fetched.length).toBeGreaterThan(0);
  expect(fetched.filter((s) => s.codeMirror).map((s) => s.path)).toEqual([]);
  expect(total(fetched), JSON.stringify(fetched)).toBeLessThanOrEqual(BUDGETS.landing);
});

test("a room link fetches at most 300 kB gzip of script, editor included, and the editor edits", async ({
  browser,
}) => {
  const page = await (await personContext(browser, "Ada")).newPage();
  const scripts = recordScripts(page);
  await page.goto(`${SHARED_URL}/r/${uniqueRoom("bundle")}`);
  await expect(page.getByRole("status")).toContainText("Synced", { timeout: 20_000 });
  await typeInEditor(page, "typed into the lazy editor");
  await expectDocument(page, "typed into the lazy editor");
  await page.waitForLoadState("networkidle");

  const fetched = await scripts();
  // The count covers the editor: CodeMirror came in one of the fetched scripts.
  expect(fetched.some((s) => s.codeMirror)).toBe(true);
  expect(total(fetched), JSON.stringify(fetched)).toBeLessThanOrEqual(BUDGETS.room);

  // The line reached the room: "All changes saved" comes only from the server's acknowledgement.
  await expect(page.getByText("All changes saved")).toBeVisible();
});

test("while the editor's chunk is on its way, the room's header, people and chat are already there", async ({
  browser,
}) => {
  // No service worker, so every request of this first visit goes through the route below.
  const context = await browser.newContext({ serviceWorkers: "block" });
  await context.addInitScript(() =>
    localStorage.setItem("edgeroom:user", JSON.stringify({ name: "Ada", color: "#1971c2" })),
  );
  const page = await context.newPage();
  let releaseEditor = (): void => undefined;
  const editorHeld = new Promise<void>((resolve) => (releaseEditor = resolve));
  let editorRequested = false;
  await page.route(/\/assets\/Editor-[^/]+\.js$/, async (route) => {
    editorRequested = true;
    await editorHeld;
    await route.continue();
  });

  const room = uniqueRoom("bundle-lazy");
  await page.goto(`${SHARED_URL}/r/${room}`);
  await expectRoomHeader(page, room);
  await expect(people(page).filter({ hasText: "Ada" })).toHaveCount(1);
  await expect(page.getByRole("textbox", { name: "Message" })).toBeVisible();
  expect(editorRequested).toBe(true);
  const placeholder = page.getByRole("region", { name: "Document editor" }).locator("[aria-busy=true]");
  await expect(placeholder).toBeVisible();
  await expect(editor(page)).toHaveCount(0);

  releaseEditor();
  await expect(editor(page)).toBeVisible();
  await expect(placeholder).toHaveCount(0);
  await typeInEditor(page, "after the wait");
  await expectDocument(page, "after the wait");
});

test("the service worker precaches every script chunk, so a room link opens offline after a visit to any page", async ({
  browser,
}) => {
  const page = await (await browser.newContext()).newPage();
  await page.goto(`${SHARED_URL}/`);
  await expect
    .poll(() => page.evaluate(() => navigator.serviceWorker.controller?.state ?? "none"), { timeout: 30_000 })
    .toBe("activated");
  const cached = await page.evaluate(async () => {
    const paths: string[] = [];
    for (const name of await caches.keys()) {
      for (const request of await (await caches.open(name)).keys()) paths.push(new URL(request.url).pathname);
    }
    return paths;
  });
  const chunks = readdirSync(join(ROOT, "web/dist/assets"))
    .filter((file) => file.endsWith(".js"))
    .map((file) => `/assets/${file}`);
  expect(chunks.some((path) => /\/Editor-/.test(path))).toBe(true);
  expect(cached).toEqual(expect.arrayContaining(chunks));
});
