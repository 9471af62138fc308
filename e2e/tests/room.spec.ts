import { expect, test } from "../support/test.ts";
import { freshStateDir, startServer } from "../support/server.ts";
import { SPARE_PORT_BASE } from "../support/shared-server.ts";
import {
  expectDocument,
  expectSynced,
  openRoom,
  people,
  personContext,
  typeInEditor,
  uniqueRoom,
} from "../support/room.ts";

test("the landing page opens a new room with a 128-bit id each time", async ({ page }) => {
  await page.goto("/");
  const ids = new Set<string>();
  for (let i = 0; i < 3; i++) {
    await page.getByRole("button", { name: "New room" }).click();
    await expect(page).toHaveURL(/\/r\/[A-Za-z0-9_-]{22}$/);
    ids.add(new URL(page.url()).pathname.split("/").pop() ?? "");
    await page.goBack();
  }
  expect(ids.size).toBe(3);
});

test("a first visit asks for a name once and shows it in the presence list", async ({ page, baseURL }) => {
  const room = uniqueRoom("name");
  await page.goto(`${baseURL}/r/${room}`);
  const name = page.getByRole("textbox", { name: "Your name" });
  await name.fill("Marie Curie");
  await page.getByRole("button", { name: "Join" }).click();
  await expectSynced(page);
  await expect(people(page)).toHaveCount(1);
  await expect(people(page)).toContainText(["Marie Curie(you)"]);
  await page.reload();
  await expectSynced(page);
  await expect(page.getByRole("textbox", { name: "Your name" })).toHaveCount(0);
  await expect(people(page).first()).toContainText("Marie Curie");
});

test("two people see each other, edit together, and keep the text across a reload", async ({
  browser,
  baseURL,
}) => {
  const room = uniqueRoom("pair");
  const ada = await openRoom(await personContext(browser, "Ada", "#c2255c"), baseURL ?? "", room);
  const bo = await openRoom(await personContext(browser, "Bo", "#1971c2"), baseURL ?? "", room);

  await expect(people(ada)).toHaveCount(2);
  await expect(people(ada).filter({ hasText: "Bo" })).toHaveCount(1);
  await expect(people(bo).filter({ hasText: "Ada" })).toHaveCount(1);
  await expect(people(bo).filter({ hasText: "(you)" })).toContainText("Bo");

  await typeInEditor(ada, "Hello from Ada. ");
  await expectDocument(bo, "Hello from Ada. ");
  await typeInEditor(bo, "Hi Ada!");
  await expectDocument(ada, "Hello from Ada. Hi Ada!");

  await bo.reload();
  await expectSynced(bo);
  await expectDocument(bo, "Hello from Ada. Hi Ada!");

  const late = await openRoom(await personContext(browser, "Cy", "#2f9e44"), baseURL ?? "", room);
  await expectDocument(late, "Hello from Ada. Hi Ada!");
  await expect(people(late)).toHaveCount(3);
});

test("the document survives stopping and restarting the server", async ({ browser }) => {
  const persistDir = freshStateDir("restart");
  const room = uniqueRoom("restart");
  let server = await startServer({ port: SPARE_PORT_BASE, persistDir });
  try {
    const context = await personContext(browser, "Ada");
    const writer = await openRoom(context, server.url, room);
    const watcher = await openRoom(await personContext(browser, "Bo"), server.url, room);
    await typeInEditor(writer, "Written before the restart.");
    // The room relays an update only after storing it, so seeing it elsewhere means it is stored.
    await expectDocument(watcher, "Written before the restart.");

    await server.stop();
    await expect(writer.getByRole("status")).toContainText("Offline");
    server = await startServer({ port: SPARE_PORT_BASE, persistDir });

    const reader = await openRoom(await personContext(browser, "Cy"), server.url, room);
    await expectDocument(reader, "Written before the restart.");
    // The page that stayed open reconnects by itself and resyncs.
    await expectSynced(writer);
    await expectDocument(writer, "Written before the restart.");
  } finally {
    await server.stop();
  }
});
