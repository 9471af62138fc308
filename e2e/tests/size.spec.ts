/** The document size cap: a warning well before it, and a clear refusal past it. */
import { LIMITS } from "@edgeroom/shared";
import { expect, test } from "../support/test.ts";
import { openClient, roomSocketUrl } from "@edgeroom/testkit/node";
import { editor, openRoom, personContext, uniqueRoom } from "../support/room.ts";
import { SHARED_URL } from "../support/shared-server.ts";

test("a document near its cap shows a warning, and a change past it is refused with an explanation", async ({
  browser,
  baseURL,
}) => {
  const room = uniqueRoom("size");
  const filler = await openClient(roomSocketUrl(SHARED_URL, room), {
    user: { name: "Filler", color: "#1971c2" },
  });
  await filler.synced;
  // Two frames, each under the frame limit, together past the warning threshold (86% of the cap).
  const chunk = Math.floor(LIMITS.maxDocumentBytes * 0.43);
  await filler.type("a".repeat(chunk));
  await filler.type("b".repeat(chunk));
  expect(filler.app.filter((m) => m.type === "doc-reject")).toEqual([]);

  const ada = await openRoom(await personContext(browser, "Ada"), baseURL ?? "", room);
  await expect(ada.getByRole("region", { name: "Document size warning" })).toContainText(
    /This document is at 8\d% of its 4 MiB limit/,
  );

  await editor(ada).click();
  await ada.keyboard.press("Control+End");
  await ada.keyboard.insertText("c".repeat(Math.floor(LIMITS.maxDocumentBytes * 0.2)));
  await expect(ada.getByRole("alert")).toContainText("Your last change was not saved.");
  await expect(ada.getByRole("banner")).toContainText("Not saved");
  filler.socket.close();
});
