/**
 * The divergence check in a real browser: an update frame is lost between
 * the page and the room (the test drops it in flight), so the room and the
 * page hold different documents; the page's next check finds the mismatch
 * and the resync brings the lost text to everyone.
 */
import { expect, test } from "../support/test.ts";
import { expectDocument, openRoom, personContext, typeInEditor, uniqueRoom } from "../support/room.ts";

/** y-protocols sync message, "update" kind: the frame a keystroke sends. */
const isUpdateFrame = (message: string | Buffer): boolean =>
  typeof message !== "string" && message[0] === 0 && message[1] === 2;

test("an update lost on the way is found by the divergence check and reaches everyone", async ({
  browser,
  baseURL,
}) => {
  const room = uniqueRoom("drift");
  const adaContext = await personContext(browser, "Ada");
  const lossy = { dropNext: false, dropped: 0 };
  await adaContext.routeWebSocket(/\/parties\/room\//, (page) => {
    const server = page.connectToServer();
    page.onMessage((message) => {
      if (lossy.dropNext && isUpdateFrame(message)) {
        lossy.dropNext = false;
        lossy.dropped += 1;
        return;
      }
      server.send(message);
    });
    server.onMessage((message) => page.send(message));
  });
  const ada = await openRoom(adaContext, baseURL ?? "", room);
  const bo = await openRoom(await personContext(browser, "Bo"), baseURL ?? "", room);

  await typeInEditor(ada, "kept ");
  await expectDocument(bo, "kept ");
  lossy.dropNext = true;
  await ada.keyboard.type("L");
  await expect.poll(() => lossy.dropped).toBe(1);
  await expectDocument(ada, "kept L");
  // Its answer was lost with it, so the page cannot yet say the change is stored.
  await expect(ada.getByTestId("save-status")).toHaveText("Saving…");

  // Coming back to the tab is one of the moments a client compares its document with the room's.
  await ada.evaluate(() => document.dispatchEvent(new Event("visibilitychange")));
  await expectDocument(bo, "kept L");
  // The room confirmed it holds the page's document, so the lost answer no longer matters.
  await ada.evaluate(() => document.dispatchEvent(new Event("visibilitychange")));
  await expect(ada.getByTestId("save-status")).toHaveText("All changes saved");
});
