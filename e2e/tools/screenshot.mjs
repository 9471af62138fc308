// Takes the README screenshots: a named room with people in it, light and dark, on a desktop and a
// phone (chat sheet open), the embed at 400×300 and the share dialog.
// Usage: node e2e/tools/screenshot.mjs [baseUrl] [outDir]   (needs a running `pnpm start`)
// The README shows room-light, room-dark, room-phone-chat and embed-400x300, docs/embedding.md share-dialog;
// the rest are for looking at every page and are not committed.
import { chromium } from "@playwright/test";
import { chromiumLaunchOptions } from "../support/chromium.mjs";
import { openAsPerson } from "./screenshot-person.mjs";

const base = process.argv[2] ?? "http://127.0.0.1:8787";
const out = process.argv[3] ?? "docs";
const room = `${base}/r/screenshot-${Date.now().toString(36)}`;

const browser = await chromium.launch(chromiumLaunchOptions);
try {
  const person = (name, color, theme, viewport) =>
    openAsPerson(browser, room, { name, color, theme, viewport });
  const ada = await person("Ada Lovelace", "#c2255c", "light", { width: 1280, height: 760 });
  const grace = await person("Grace Hopper", "#1971c2", "dark", { width: 1280, height: 760 });
  await ada.getByRole("button", { name: "Rename room" }).click();
  await ada.getByRole("textbox", { name: "Room name" }).fill("Launch plan");
  await ada.keyboard.press("Enter");
  await ada.getByRole("textbox", { name: "Document" }).click();
  // Markdown continues list markup on Enter, so each item after the first is typed without its "- [ ] ".
  await ada.keyboard.type(
    "# Launch plan\n\nShip the **edge** room on Friday.\n\n- [x] Durable Object per room\n",
    { delay: 5 },
  );
  await ada.keyboard.type("Chat with history", { delay: 5 });
  await grace.getByRole("textbox", { name: "Document" }).click();
  await grace.keyboard.press("Control+End");
  await grace.keyboard.press("Enter");
  await grace.keyboard.type("Cursors for 50 people", { delay: 5 });
  await ada
    .getByRole("textbox", { name: "Message" })
    .fill("Draft is up, have a look https://example.com/plan");
  await ada.keyboard.press("Enter");
  await grace.getByRole("textbox", { name: "Message" }).fill("On it. Adding the cursor item now.");
  await grace.keyboard.press("Enter");
  await ada.getByRole("textbox", { name: "Message" }).pressSequentially("Thanks", { delay: 20 });
  const target = await grace.getByText("Durable Object per room").boundingBox();
  if (target) {
    for (let step = 0; step <= 10; step++) {
      await grace.mouse.move(target.x + 40 + step * 8, target.y + 40 + step * 2);
      await grace.waitForTimeout(30);
    }
  }
  await ada.waitForTimeout(800);
  await ada.screenshot({ path: `${out}/room-light.png` });
  await grace.screenshot({ path: `${out}/room-dark.png` });
  const phone = await person("Linus", "#2f9e44", "light", { width: 390, height: 844 });
  await phone.waitForTimeout(400);
  await phone.screenshot({ path: `${out}/room-phone.png` });
  await phone.getByRole("button", { name: /^Chat/ }).click();
  await phone.getByRole("textbox", { name: "Message" }).fill("Looks good from my phone");
  await phone.waitForTimeout(400);
  await phone.screenshot({ path: `${out}/room-phone-chat.png` });
  await phone.setViewportSize({ width: 844, height: 390 });
  await phone.waitForTimeout(400);
  await phone.screenshot({ path: `${out}/room-phone-landscape.png` });
  await ada.getByRole("button", { name: "Share" }).click();
  await ada.getByRole("dialog", { name: "Share this room" }).waitFor();
  await ada.waitForTimeout(300);
  await ada.screenshot({ path: `${out}/share-dialog.png` });
  await ada.keyboard.press("Escape");
  const embedContext = await browser.newContext({
    viewport: { width: 400, height: 300 },
    colorScheme: "light",
  });
  const embed = await embedContext.newPage();
  await embed.goto(room.replace("/r/", "/embed/"));
  await embed.getByText("Launch plan").first().waitFor();
  await embed.waitForTimeout(600);
  await embed.screenshot({ path: `${out}/embed-400x300.png` });
  const landingContext = await browser.newContext({ viewport: { width: 1280, height: 760 } });
  const landing = await landingContext.newPage();
  await landing.goto(base);
  await landing.screenshot({ path: `${out}/landing.png` });
  await landing.emulateMedia({ colorScheme: "dark" });
  await landing.reload();
  await landing.screenshot({ path: `${out}/landing-dark.png` });
  const promptPage = await landingContext.newPage();
  await promptPage.goto(room);
  await promptPage.getByRole("textbox", { name: "Your name" }).waitFor();
  await promptPage.screenshot({ path: `${out}/name-prompt.png` });
} finally {
  await browser.close();
}
